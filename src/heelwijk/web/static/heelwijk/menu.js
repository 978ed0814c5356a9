// The main menu folds away behind a "Menu" button on small screens. Without JavaScript it stays
// open, so every page is usable either way.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector(".menu-toggle");
  var menu = document.getElementById("main-menu");
  if (!button || !menu) {
    return;
  }
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("open", open);
  });
});
