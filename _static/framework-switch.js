// Framework switcher: readers choose MXNet, PyTorch or both once; the choice is kept in localStorage,
// so it holds across pages and reloads. Pages without framework-specific cells show no switch.
(function () {
  "use strict";
  var KEY = "optim-book-framework";
  var CHOICES = [["both", "Both"], ["mxnet", "MXNet"], ["torch", "PyTorch"]];

  function stored() {
    try {
      var value = window.localStorage.getItem(KEY);
      return value === "mxnet" || value === "torch" ? value : "both";
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
    if (!document.querySelector(".tag_mxnet, .tag_torch")) {
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
