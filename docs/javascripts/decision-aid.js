/* The decision aid's script, loaded only on the "Weigh your options" page (front matter
   decision_aid: true; overrides/main.html adds it). Self-hosted, so the strict
   Content-Security-Policy ('self') allows it; no inline code.

   Privacy: it reads the reader's answers from the form on the page and writes them into the
   same page. It stores nothing (no cookies, no localStorage or sessionStorage, no IndexedDB),
   sends nothing and loads nothing. Closing the tab forgets everything.
   tests/test_decision_aid.py checks that no request is made and no storage is written.

   What it does:
   1. "Show how the options fit what I said": for each option, lists the statements the reader
      rated that fit it or weigh against it (from data-fits / data-against, written by
      overrides/hooks/decision_aid.py from docs/data/decision-aid.yml). No score, no ranking.
   2. Keeps the one-page summary (#your-summary) filled in with the ratings, the leaning, the
      SURE answers and the reader's questions, as they change.
   3. "Print my summary": prints only the summary (class da-print-summary on <html>; extra.css).
   Without JavaScript the page is a worksheet, and the summary has blank lines. */
(function () {
  "use strict";

  var exercise = document.getElementById("values-exercise");
  if (!exercise) return;

  function chosen(name) {
    var input = document.querySelector('input[name="' + name + '"]:checked');
    if (!input) return null;
    return { index: Number(input.value), text: input.parentNode.textContent.trim() || input.value };
  }

  function statements() {
    return Array.prototype.map.call(exercise.querySelectorAll("fieldset.da-statement"), function (set) {
      var legend = set.querySelector("legend");
      return {
        name: set.getAttribute("data-name"),
        text: legend ? legend.textContent.trim() : "",
        fits: (set.getAttribute("data-fits") || "").split(" ").filter(Boolean),
        against: (set.getAttribute("data-against") || "").split(" ").filter(Boolean),
        rating: chosen(set.getAttribute("data-name"))
      };
    });
  }

  // Scale order in the data: 0 = matters a lot, 1 = matters a little, 2 = does not matter, 3 = not sure.
  function matters(item) { return item.rating && item.rating.index <= 1; }

  function phrase(list) {
    return list.map(function (item) {
      return "\u201c" + item.text.replace(/\.$/, "") + "\u201d (" + item.rating.text.toLowerCase() + ")";
    }).join("; ");
  }

  function showFit() {
    var result = document.getElementById("values-result");
    var items = statements();
    var rated = items.filter(matters);
    result.querySelectorAll("li[data-option]").forEach(function (li) {
      var id = li.getAttribute("data-option");
      var name = li.getAttribute("data-name") || li.textContent;
      li.setAttribute("data-name", name);
      var fits = rated.filter(function (item) { return item.fits.indexOf(id) >= 0; });
      var against = rated.filter(function (item) { return item.against.indexOf(id) >= 0; });
      li.textContent = "";
      var strong = document.createElement("strong");
      strong.textContent = name;
      li.appendChild(strong);
      var text = ". ";
      if (!rated.length) {
        text += "You have not yet rated any statement as mattering to you.";
      } else {
        text += fits.length ? "Fits: " + phrase(fits) + ". " : "Nothing you rated fits it clearly. ";
        text += against.length ? "Weighs against: " + phrase(against) + "." : "Nothing you rated weighs against it.";
      }
      li.appendChild(document.createTextNode(text));
    });
    result.hidden = false;
    // The result is taller than a phone screen: focus alone scrolled it to its middle. Its top,
    // with the heading and "This is not a score", comes into view under the header instead.
    result.focus({ preventScroll: true });
    result.scrollIntoView({ block: "start" });
  }

  function fillSummary() {
    statements().forEach(function (item) {
      var cell = document.querySelector('[data-fill="' + item.name + '"]');
      if (cell) cell.textContent = item.rating ? item.rating.text : "";
    });
    var lean = chosen("leaning");
    var leanText = document.querySelector('[data-fill="leaning"]');
    var leanList = document.querySelector('[data-fill-list="leaning"]');
    if (leanText) leanText.textContent = lean ? lean.text : "";
    if (leanList) leanList.hidden = !!lean;
    document.querySelectorAll('[data-fill^="sure-"]').forEach(function (span) {
      var answer = chosen(span.getAttribute("data-fill"));
      span.textContent = answer ? answer.text : "Yes / No";
    });
    var questions = document.getElementById("my-questions");
    var box = document.querySelector('[data-fill="my-questions"]');
    if (questions && box) {
      if (questions.value.trim()) {
        box.textContent = questions.value.trim();
        box.classList.add("da-filled");
      } else if (box.classList.contains("da-filled")) {
        box.classList.remove("da-filled");
        box.innerHTML = '<span class="da-line"></span><span class="da-line"></span><span class="da-line"></span>';
      }
    }
  }

  var show = document.getElementById("values-show");
  if (show) show.addEventListener("click", showFit);
  document.addEventListener("change", fillSummary);
  document.addEventListener("input", function (event) {
    if (event.target && event.target.id === "my-questions") fillSummary();
  });

  var print = document.getElementById("print-summary");
  if (print) {
    print.addEventListener("click", function () {
      fillSummary();
      document.documentElement.classList.add("da-print-summary");
      window.print();
    });
    window.addEventListener("afterprint", function () {
      document.documentElement.classList.remove("da-print-summary");
    });
  }
  fillSummary();
})();
