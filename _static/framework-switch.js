// Framework switcher: readers choose one framework or all of them once; the choice is kept in localStorage,
// so it holds across pages and reloads. Pages without framework-specific cells show no switch.
// The frameworks come from d2l_utils.frameworks.REGISTRY (handed over by _ext/book_assets.py as
// window.BOOK_FRAMEWORKS, pairs [cell tag, label]); a cell tagged NAME has the CSS class tag_NAME.
(function () {
  "use strict";
  var KEY = "optim-book-framework";
  var FRAMEWORKS = window.BOOK_FRAMEWORKS || [];
  var NAMES = FRAMEWORKS.map(function (pair) { return pair[0]; });
  var CHOICES = [["both", FRAMEWORKS.length > 2 ? "All" : "Both"]].concat(FRAMEWORKS);
  var SELECTOR = NAMES.map(function (name) { return ".tag_" + name; }).join(", ");

  // One rule per choice hides the other frameworks' cells; a badge names the framework of each cell.
  var rules = [];
  NAMES.forEach(function (chosen) {
    NAMES.forEach(function (other) {
      if (other !== chosen) {
        rules.push('html[data-framework="' + chosen + '"] .tag_' + other + " { display: none !important; }");
      }
    });
  });
  FRAMEWORKS.forEach(function (pair) {
    rules.push(".tag_" + pair[0] + ' > .cell_input::before { content: "' + pair[1] + '"; }');
  });
  var style = document.createElement("style");
  style.textContent = rules.join("\n");
  document.head.appendChild(style);

  function stored() {
    try {
      var value = window.localStorage.getItem(KEY);
      return NAMES.indexOf(value) >= 0 ? value : "both";
    } catch (e) {
      return "both";
    }
  }

  function apply(choice) {
    if (choice === "both") {
      delete document.documentElement.dataset.framework;
    } else {
      document.documentElement.dataset.framework = choice;
    }
    document.querySelectorAll(".framework-switch button").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.framework === choice));
    });
  }

  function choose(choice) {
    try {
      window.localStorage.setItem(KEY, choice);
    } catch (e) {
      /* private mode: the choice lasts for this page only */
    }
    apply(choice);
  }

  // Apply the stored choice before the page is drawn, to avoid a flash of the other framework.
  apply(stored());

  document.addEventListener("DOMContentLoaded", function () {
    if (!SELECTOR || !document.querySelector(SELECTOR)) {
      return;
    }
    var bar = document.createElement("div");
    bar.className = "framework-switch";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Framework shown in code cells");
    var label = document.createElement("span");
    label.textContent = "Code cells:";
    bar.appendChild(label);
    CHOICES.forEach(function (pair) {
      var button = document.createElement("button");
      button.type = "button";
      button.dataset.framework = pair[0];
      button.textContent = pair[1];
      button.addEventListener("click", function () { choose(pair[0]); });
      bar.appendChild(button);
    });
    var article = document.querySelector("article.bd-article") || document.querySelector("main") || document.body;
    var heading = article.querySelector("h1");
    if (heading && heading.parentNode) {
      heading.parentNode.insertBefore(bar, heading.nextSibling);
    } else {
      article.insertBefore(bar, article.firstChild);
    }
    apply(stored());
  });
})();
