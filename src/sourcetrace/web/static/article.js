// Article view: clicking a highlighted piece selects its attribution card (the link's
// #att-ID target works without script too) and keeps the card in view.
(function () {
  "use strict";
  var text = document.getElementById("article-text");
  if (!text) return;
  var selected = [];
  function clear() {
    selected.forEach(function (el) { el.classList.remove("selected"); });
    selected = [];
  }
  function select(id) {
    clear();
    var card = document.getElementById("att-" + id);
    if (!card) return;
    card.classList.add("selected");
    selected.push(card);
    text.querySelectorAll("a[data-att]").forEach(function (a) {
      if (a.getAttribute("data-att") === id) { a.classList.add("selected"); selected.push(a); }
    });
  }
  text.addEventListener("click", function (ev) {
    var a = ev.target.closest("a[data-att]");
    if (a) select(a.getAttribute("data-att"));
  });
  if (location.hash.indexOf("#att-") === 0) select(location.hash.slice(5));
})();
