// Exit this page (site/templates/includes/exit_this_page.html): blank the page at once and
// replace it in the history, on the button or on Shift pressed three times.
(function () {
  var link = document.getElementById("exit-this-page");
  if (!link) { return; }
  function leave(event) {
    if (event) { event.preventDefault(); }
    document.documentElement.style.visibility = "hidden";
    document.title = "Exiting page";
    window.location.replace(link.href);
  }
  link.addEventListener("click", leave);
  // A link answers Enter but not Space; a control that says it is a button must answer both.
  link.addEventListener("keydown", function (event) {
    if (event.key === " ") { leave(event); }
  });
  var presses = 0, timer = null;
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") { presses = 0; return; }
    presses += 1;
    clearTimeout(timer);
    timer = setTimeout(function () { presses = 0; }, 1000);
    if (presses >= 3) { presses = 0; leave(); }
  });
})();
