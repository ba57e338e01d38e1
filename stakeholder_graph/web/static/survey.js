/* stakeholder-graph partner survey: saves as the partner goes, filters the partners by name, and shows the
   trust and value questions of a partner once a level of collaboration (other than none) is chosen.
   The form works without it: every Save button saves the whole page. */
(function () {
  "use strict";
  var form = document.getElementById("survey-form");
  if (!form) return;
  var status = document.getElementById("save-status");
  var timer = null;
  var target = form.getAttribute("action"); // not form.action: the buttons named "action" shadow it

  function show(text) {
    if (status) status.textContent = text;
  }

  function formData() {
    var data = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (name.indexOf("propose_") !== 0 && name !== "action" && name !== "save") data.append(name, value);
    });
    data.append("autosave", "1");
    return data;
  }

  function save() {
    timer = null;
    var data = formData();
    fetch(target, { method: "POST", body: data, credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (result) {
        if (result.ok) {
          show("Saved at " + result.body.saved + ". You have rated " + result.body.answered + " of " + result.body.of + " partners.");
        } else {
          show(result.body.error || "Not saved: press Save.");
        }
      })
      .catch(function () {
        show("Not saved: check your connection, then press Save.");
      });
  }

  function later(delay) {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, delay);
  }

  form.addEventListener("change", function (event) {
    var name = event.target.name || "";
    if (name.indexOf("propose_") === 0) return;
    if (name.indexOf("level:") === 0) sync(event.target.closest("fieldset.rate"));
    later(300);
  });
  form.addEventListener("input", function (event) {
    if ((event.target.name || "").indexOf("text:") === 0) later(1500);
  });
  // Leaving the page before a change was sent: send it on the way out.
  window.addEventListener("pagehide", function () {
    if (timer && navigator.sendBeacon) {
      clearTimeout(timer);
      timer = null;
      navigator.sendBeacon(target, formData());
    }
  });

  // Trust and value only for partners one works with (a level of 1 or more).
  function sync(card) {
    if (!card) return;
    var chosen = card.querySelector("input[type=radio]:checked");
    var ratings = card.querySelector("[data-ratings]");
    if (ratings) ratings.hidden = !chosen || chosen.value === "0";
  }
  form.querySelectorAll("fieldset.rate").forEach(sync);

  // Find a partner: filter the cards as one types (the Find button filters on the server without this).
  var box = document.querySelector("[data-filter-for-cards]");
  var cards = box && document.getElementById(box.getAttribute("data-filter-for-cards"));
  if (box && cards) {
    box.addEventListener("input", function () {
      var q = box.value.trim().toLowerCase();
      cards.querySelectorAll("fieldset.rate").forEach(function (card) {
        card.hidden = q !== "" && card.getAttribute("data-name").indexOf(q) < 0;
      });
    });
  }
})();
