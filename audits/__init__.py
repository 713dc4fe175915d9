"""Audits: Section 11 and Section 175 self-assessment against versioned standards, quality
assurance's challenge of the ratings, and the actions that agreed red and amber ratings create."""
