// Article view: clicking a highlighted piece selects its attribution card in the side
// panel (the link's #att-ID target works without script too) and scrolls only the panel,
// so the text stays where the reader is.
(function () {
  "use strict";
  var text = document.getElementById("article-text");
  if (!text) return;
  var selected = [];
  function select(id, scroll) {
    selected.forEach(function (el) { el.classList.remove("selected"); });
    selected = [];
    var card = document.getElementById("att-" + id);
    if (!card) return;
    card.classList.add("selected");
    selected.push(card);
    text.querySelectorAll("a[data-att]").forEach(function (a) {
      if (a.getAttribute("data-att") === id) { a.classList.add("selected"); selected.push(a); }
    });
    if (scroll) card.scrollIntoView({ block: "nearest" });
  }
  text.addEventListener("click", function (ev) {
    var a = ev.target.closest("a[data-att]");
    if (!a) return;
    ev.preventDefault();
    var id = a.getAttribute("data-att");
    history.replaceState(null, "", "#att-" + id);
    select(id, true);
  });
  if (location.hash.indexOf("#att-") === 0) select(decodeURIComponent(location.hash.slice(5)), true);
})();
