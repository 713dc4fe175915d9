"""The data of a Wagtail admin form as the browser would post it back, read from the form the
view rendered: tests post real forms, so that a refused write is refused for the right reason
and an allowed one is allowed with everything a person would send."""


def form_data(form) -> dict:
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is not None:
            data[name] = value
    for formset in getattr(form, "formsets", {}).values():
        data[f"{formset.prefix}-TOTAL_FORMS"] = len(formset.forms)
        data[f"{formset.prefix}-INITIAL_FORMS"] = formset.initial_form_count()
        data[f"{formset.prefix}-MIN_NUM_FORMS"] = 0
        data[f"{formset.prefix}-MAX_NUM_FORMS"] = 1000
        for child in formset.forms:
            for field in child.fields:
                value = child[field].value()
                if value is not None:
                    data[child.add_prefix(field)] = value
    return data


def edit_form_data(client, user, url, **changes) -> dict:
    """What `user` would post back from the form at `url`, with `changes`; signs out after."""
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    data = form_data(response.context["form"])
    data.update(changes)
    client.logout()
    return data
