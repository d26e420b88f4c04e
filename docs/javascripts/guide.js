/* The guide's own script (self-hosted: the strict CSP's 'self' allows it). Without JavaScript
   every page still works: the menu is a CSS drawer, the colour switch is hidden (extra.css),
   a glossary term shows its definition as a title, and tables keep their native semantics.
   1. Menu button: a real <button> replaces Material's <label> (Tab skips a label); it opens
      and closes the CSS drawer, Escape closes it, and while the drawer is open focus stays in
      it and goes back to the button when it closes.
   2. Colour switch: Material's is not started (why: overrides/main.html, 5); this runs it. It
      applies the reader's choice (Material's record, __palette) or the system setting, and
      follows the system setting while that is the choice. Click or Enter: next palette. The
      shown palette's radio is checked, so Tab and Shift+Tab stop on the visible switch.
   3. The menu and search toggles are closed as the page starts (overrides/hooks/toggles.py).
   4. Glossary terms (overrides/hooks/glossary_terms.py): on focus, hover or tap one
      role="tooltip" box shows and describes the definition; Escape hides it (WCAG 1.4.13).
   5. Moved page (overrides/partials/moved-page.html): go on to the new address, with the #section.
   6. Tables on phones: ARIA roles while extra.css shows a data-cards table as cards
      (why: overrides/hooks/tables.py). A part with a role of its own keeps it.
   Tests: test_browser.py and test_accessibility.py (1, 2), test_keyboard.py (1, 4),
   test_furniture.py (5), test_tables.py (6). */
(function () {
  "use strict";

  function menuButton() {
    var drawer = document.getElementById("__drawer");
    var label = document.querySelector('label.md-header__button[for="__drawer"]');
    if (!drawer || !label) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-header__button md-icon guide-menu";
    button.setAttribute("aria-label", "Menu");
    button.innerHTML = label.innerHTML;
    label.classList.add("guide-menu-label");
    label.parentNode.insertBefore(button, label);
    var sidebar = document.querySelector(".md-sidebar--primary");
    var layout = window.matchMedia("(max-width: 76.234375em)");  // Material's drawer breakpoint
    function stops() {  // what Tab can reach in the open drawer, in order
      if (!sidebar) return [];
      var found = sidebar.querySelectorAll('a[href], button, input:not([type="checkbox"]):not([type="radio"]), [tabindex]:not([tabindex="-1"])');
      return Array.prototype.filter.call(found, function (el) {
        var style = window.getComputedStyle(el);
        return style.visibility === "visible" && style.display !== "none" && el.getClientRects().length > 0;
      });
    }
    function sync() {
      button.setAttribute("aria-expanded", drawer.checked ? "true" : "false");
      if (!drawer.checked && sidebar && sidebar.contains(document.activeElement)) button.focus();
    }
    sync();
    drawer.addEventListener("change", sync);
    button.addEventListener("click", function () {
      drawer.click();
      var first = drawer.checked && layout.matches ? stops()[0] : null;
      if (first) first.focus({ preventScroll: true });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && drawer.checked) { drawer.click(); button.focus(); return; }
      if (event.key !== "Tab" || !drawer.checked || !layout.matches) return;
      var list = stops();
      if (!list.length) return;
      var first = list[0], last = list[list.length - 1], here = document.activeElement;
      var target = null;
      if (!sidebar.contains(here)) target = event.shiftKey ? last : first;
      else if (!event.shiftKey && here === last) target = first;
      else if (event.shiftKey && here === first) target = last;
      if (target) { event.preventDefault(); target.focus(); }
    });
  }

  function paletteSwitch() {
    var form = document.querySelector("form[data-guide-palette]");
    if (!form || !window.matchMedia) return;
    var inputs = form.querySelectorAll("input.md-option");
    var light = window.matchMedia("(prefers-color-scheme: light)");
    var current = 0;
    function colour(input) {
      var media = input.getAttribute("data-md-color-media"), from = input;
      if (media === "(prefers-color-scheme)") {  // the system setting: the light or the dark option
        from = form.querySelector(light.matches ? "[data-md-color-media='(prefers-color-scheme: light)']"
                                                : "[data-md-color-media='(prefers-color-scheme: dark)']") || input;
      }
      return { media: media, scheme: from.getAttribute("data-md-color-scheme"),
               primary: from.getAttribute("data-md-color-primary"), accent: from.getAttribute("data-md-color-accent") };
    }
    function apply(index) {
      current = index;
      var color = colour(inputs[index]), body = document.body, changed = false;
      for (var key in color) {
        if (body.getAttribute("data-md-color-" + key) === color[key]) continue;  // only a real change restyles
        if (key !== "media") changed = true;
        body.setAttribute("data-md-color-" + key, color[key]);
      }
      if (changed) {  // as Material's: no colour transitions while the palette changes (two frames)
        body.setAttribute("data-md-color-switching", "");
        requestAnimationFrame(function () {
          requestAnimationFrame(function () { body.removeAttribute("data-md-color-switching"); });
        });
      }
      for (var i = 0; i < inputs.length; i++) {
        var label = inputs[i].nextElementSibling;
        if (label && label.tagName === "LABEL") label.hidden = i !== index;
      }
      inputs[index].checked = true;
      // Kept as Material keeps it: Material's inline script starts the next page in it.
      try { window.__md_set("__palette", { index: index, color: color }); } catch (error) { /* this page only */ }
    }
    var saved = null;
    try { saved = window.__md_get("__palette"); } catch (error) { /* no storage: the system setting */ }
    apply(saved && inputs[saved.index] ? saved.index : 0);
    form.addEventListener("change", function (event) {
      for (var i = 0; i < inputs.length; i++) if (inputs[i] === event.target) apply(i);
    });
    form.addEventListener("keydown", function (event) {  // as Material's: Enter moves on
      if (event.key !== "Enter") return;
      event.preventDefault();
      var next = (current + 1) % inputs.length;
      apply(next);
      inputs[next].focus();
    });
    function follow() { if (inputs[current].getAttribute("data-md-color-media") === "(prefers-color-scheme)") apply(current); }
    if (light.addEventListener) light.addEventListener("change", follow);
    else if (light.addListener) light.addListener(follow);  // Safari before 14
  }

  function movedPage() {
    var link = document.querySelector("a[data-moved-to]");
    if (!link) return false;
    var target = link.href;
    if (location.hash && target.indexOf("#") < 0) target += location.hash;
    location.replace(target);
    return true;
  }


  function closedToggles() {
    ["__drawer", "__search"].forEach(function (id) {
      var toggle = document.getElementById(id);
      if (toggle && toggle.checked) toggle.checked = false;
    });
  }

  function termTooltips() {
    var TERM = 'abbr[role="term"]';
    var tip = null, host = null;
    function termOf(node) { return node && node.closest ? node.closest(TERM) : null; }
    function place() {
      var r = host.getBoundingClientRect(), t = tip.getBoundingClientRect(), gap = 8;
      var width = document.documentElement.clientWidth;
      var left = Math.max(gap, Math.min(r.left, width - t.width - gap));
      var below = r.bottom + gap + t.height <= window.innerHeight || r.top - gap - t.height < 0;
      tip.style.left = left + window.scrollX + "px";
      tip.style.top = (below ? r.bottom + gap : r.top - gap - t.height) + window.scrollY + "px";
    }
    function hide() {
      if (!host) return;
      host.setAttribute("title", host.getAttribute("data-guide-title"));
      host.removeAttribute("data-guide-title");
      host.removeAttribute("aria-describedby");
      tip.hidden = true;
      host = null;
    }
    function show(term) {
      if (term !== host) {
        var text = term.getAttribute("title");
        if (!text) return;
        hide();
        if (!tip) {
          tip = document.createElement("div");
          tip.id = "guide-term-tip";
          tip.className = "guide-tip";
          tip.setAttribute("role", "tooltip");
          document.body.appendChild(tip);
          tip.addEventListener("mouseleave", function (event) {
            if (host && !host.contains(event.relatedTarget) && document.activeElement !== host) hide();
          });
        }
        host = term;
        term.setAttribute("data-guide-title", text);
        term.removeAttribute("title");
        term.setAttribute("aria-describedby", tip.id);
        tip.textContent = text;
      }
      tip.hidden = false;
      place();
    }
    document.addEventListener("focusin", function (event) {
      var term = termOf(event.target);
      if (term) show(term); else if (host && !tip.contains(event.target)) hide();
    });
    document.addEventListener("focusout", function (event) {
      if (host && event.target === host && !tip.contains(event.relatedTarget)) hide();
    });
    document.addEventListener("mouseover", function (event) {
      var term = termOf(event.target);
      if (term) show(term);
    });
    document.addEventListener("mouseout", function (event) {
      if (!host || termOf(event.target) !== host || host.contains(event.relatedTarget)) return;
      if (tip.contains(event.relatedTarget) || document.activeElement === host) return;
      hide();
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && host && !tip.hidden) tip.hidden = true;
    });
    window.addEventListener("resize", function () { if (host && !tip.hidden) place(); });
  }

  function tableRoles() {
    var tables = document.querySelectorAll("table[data-cards]");
    if (!tables.length || !window.matchMedia) return;
    var stacked = window.matchMedia("screen and (max-width: 44.984375em)");  // extra.css "Tables on phones"
    var given = [];  // the elements this script gave a role, to take it back
    function give(el, role) {
      if (el.hasAttribute("role")) return;
      el.setAttribute("role", role);
      given.push(el);
    }
    function cellRole(cell, index) {
      if (!cell.hasAttribute("data-label")) return "columnheader";  // the hook labels every body cell
      return index === 0 ? "rowheader" : "cell";
    }
    function sync() {
      if (!stacked.matches) {
        for (var i = 0; i < given.length; i++) given[i].removeAttribute("role");
        given = [];
        return;
      }
      if (given.length) return;
      for (var t = 0; t < tables.length; t++) {
        give(tables[t], "table");
        var groups = tables[t].children;  // thead, tbody (the parser adds one), tfoot; caption, colgroup
        for (var g = 0; g < groups.length; g++) {
          if (!/^T(HEAD|BODY|FOOT)$/.test(groups[g].tagName)) continue;
          give(groups[g], "rowgroup");
          var rows = groups[g].children;
          for (var r = 0; r < rows.length; r++) {
            if (rows[r].tagName !== "TR") continue;
            give(rows[r], "row");
            for (var c = 0; c < rows[r].children.length; c++) give(rows[r].children[c], cellRole(rows[r].children[c], c));
          }
        }
      }
    }
    sync();
    if (stacked.addEventListener) stacked.addEventListener("change", sync);
    else if (stacked.addListener) stacked.addListener(sync);  // Safari before 14
  }

  if (movedPage()) return;
  closedToggles();
  termTooltips();
  menuButton();
  paletteSwitch();
  tableRoles();
})();
