/* Gjenbrukskatalogen – progressive enhancement only; every page works without this file.
 *
 * 1. Type-ahead suggestions on the search boxes: the ARIA 1.2 combobox pattern with a listbox
 *    popup (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/). Focus stays in the input;
 *    the highlighted option is announced through aria-activedescendant. A solution's name
 *    opens the solution; a word searches for it.
 * 2. On narrow screens the search filters start folded, so the hits come first.
 * 3. A form that comes back with errors puts focus on its error summary.
 */
(function () {
  "use strict";

  var MIN_CHARS = 2;
  var DEBOUNCE_MS = 150;

  function suggestionsFrom(data) {
    // Accept the API's list of words, {suggestions: [...]}, or OpenSearch's
    // [prefix, [texts], [descriptions], [urls]]. A suggestion with a description "Løsning"
    // is a solution's name: choosing it opens the solution instead of searching.
    var list = data, descriptions = [], urls = [];
    if (list && !Array.isArray(list)) list = list.suggestions || list.items || [];
    if (Array.isArray(list) && list.length >= 2 && typeof list[0] === "string" && Array.isArray(list[1])) {
      descriptions = list[2] || [];
      urls = list[3] || [];
      list = list[1];
    }
    return (list || []).map(function (item, i) {
      var text = typeof item === "string" ? item : (item.text || item.value || item.label || "");
      var opens = descriptions[i] === "Løsning" && urls[i];
      return { text: text, url: opens ? urls[i] : null };
    }).filter(function (s) { return s.text; });
  }

  function Combobox(wrapper) {
    this.wrapper = wrapper;
    this.input = wrapper.querySelector("input");
    this.listbox = wrapper.querySelector("[role=listbox]");
    this.form = wrapper.closest("form");
    this.status = this.form.querySelector("[data-suggest-status]");
    this.url = wrapper.getAttribute("data-suggest-url");
    this.options = [];
    this.active = -1;
    this.timer = null;
    this.request = null;
    this.typed = this.input.value;

    this.input.setAttribute("role", "combobox");
    this.input.setAttribute("aria-autocomplete", "list");
    this.input.setAttribute("aria-expanded", "false");
    this.input.setAttribute("aria-controls", this.listbox.id);

    this.input.addEventListener("input", this.onInput.bind(this));
    this.input.addEventListener("keydown", this.onKeyDown.bind(this));
    this.input.addEventListener("blur", this.close.bind(this, false));
    this.listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });
    this.listbox.addEventListener("click", this.onClick.bind(this));
  }

  Combobox.prototype.onInput = function () {
    var self = this;
    this.typed = this.input.value;
    window.clearTimeout(this.timer);
    if (this.typed.trim().length < MIN_CHARS) {
      this.close(false);
      return;
    }
    this.timer = window.setTimeout(function () { self.fetch(self.typed.trim()); }, DEBOUNCE_MS);
  };

  Combobox.prototype.fetch = function (prefix) {
    var self = this;
    if (this.request) this.request.abort();
    this.request = new AbortController();
    var url = this.url + (this.url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(prefix);
    window.fetch(url, { headers: { Accept: "application/json" }, signal: this.request.signal })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (data) {
        if (self.input.value.trim() !== prefix || document.activeElement !== self.input) return;
        self.render(suggestionsFrom(data), prefix);
      })
      .catch(function () { /* no suggestions: the search itself still works */ });
  };

  Combobox.prototype.render = function (suggestions, prefix) {
    var self = this;
    this.listbox.textContent = "";
    this.options = suggestions.slice(0, 10).map(function (suggestion, index) {
      var word = suggestion.text;
      var option = document.createElement("li");
      option.id = self.listbox.id + "-" + index;
      option.className = "combobox__option";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      var lower = word.toLowerCase();
      var start = lower.indexOf(prefix.toLowerCase());
      if (start >= 0) {
        option.appendChild(document.createTextNode(word.slice(0, start)));
        var mark = document.createElement("mark");
        mark.textContent = word.slice(start, start + prefix.length);
        option.appendChild(mark);
        option.appendChild(document.createTextNode(word.slice(start + prefix.length)));
      } else {
        option.textContent = word;
      }
      option.dataset.value = word;
      if (suggestion.url) {
        option.dataset.url = suggestion.url;
        var kind = document.createElement("span");
        kind.className = "combobox__kind";
        kind.textContent = " – åpne løsningen";
        option.appendChild(kind);
      }
      self.listbox.appendChild(option);
      return option;
    });
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    if (this.options.length) {
      this.open();
      this.announce(this.options.length === 1
        ? "1 forslag. Bruk pil ned for å velge."
        : this.options.length + " forslag. Bruk pil opp og ned for å velge.");
    } else {
      this.close(false);
      this.announce("Ingen forslag.");
    }
  };

  Combobox.prototype.announce = function (text) {
    if (this.status) this.status.textContent = text;
  };

  Combobox.prototype.isOpen = function () {
    return this.input.getAttribute("aria-expanded") === "true";
  };

  Combobox.prototype.open = function () {
    this.listbox.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  };

  Combobox.prototype.close = function (restore) {
    if (restore && this.active >= 0) this.input.value = this.typed;
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.setActive(-1);
  };

  Combobox.prototype.setActive = function (index) {
    this.options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    this.active = index;
    if (index >= 0) {
      var option = this.options[index];
      this.input.setAttribute("aria-activedescendant", option.id);
      this.input.value = option.dataset.value;
      option.scrollIntoView({ block: "nearest" });
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  };

  Combobox.prototype.move = function (step) {
    if (!this.options.length) return;
    if (!this.isOpen()) this.open();
    var next = this.active + step;
    if (next >= this.options.length) next = -1;  // past the end: back to what was typed
    if (next < -1) next = this.options.length - 1;
    if (next === -1) this.input.value = this.typed;
    this.setActive(next);
  };

  Combobox.prototype.choose = function (option) {
    // A solution's name opens the solution; a word runs the search for it.
    var value = option.dataset.value;
    this.input.value = value;
    this.typed = value;
    this.close(false);
    if (option.dataset.url) window.location.assign(option.dataset.url);
    else if (this.form.requestSubmit) this.form.requestSubmit();
    else this.form.submit();
  };

  Combobox.prototype.onKeyDown = function (event) {
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        this.move(1);
        break;
      case "ArrowUp":
        event.preventDefault();
        this.move(-1);
        break;
      case "Enter":
        if (this.isOpen() && this.active >= 0) {
          event.preventDefault();
          this.choose(this.options[this.active]);
        }
        break;
      case "Escape":
        // Closed list: leave Escape to the browser (a search field clears itself).
        if (this.isOpen()) {
          event.preventDefault();
          this.close(true);
        }
        break;
      case "Tab":
        this.close(false);
        break;
    }
  };

  Combobox.prototype.onClick = function (event) {
    var option = event.target.closest("[role=option]");
    if (option) this.choose(option);
  };

  function collapseFiltersOnNarrowScreens() {
    if (!window.matchMedia("(max-width: 55.99rem)").matches) return;
    document.querySelectorAll("details[data-collapse-narrow]").forEach(function (details) {
      details.open = false;
    });
  }

  function focusErrorSummary() {
    // A form that came back with errors: move focus to the summary, so a screen reader reads
    // what to fix and the keyboard starts at the links to each field.
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  }

  function start() {
    document.querySelectorAll(".combobox[data-suggest-url]").forEach(function (wrapper) {
      new Combobox(wrapper);
    });
    collapseFiltersOnNarrowScreens();
    focusErrorSummary();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
