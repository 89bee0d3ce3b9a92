// Live preview of Markdown fields on the plan editor's forms.
// Without this script the Preview button submits the form and the page comes back
// with the preview; with it the preview is fetched and shown in place.
(function () {
  "use strict";

  function showPreview(form, url, textarea) {
    var box = document.getElementById("preview-" + textarea.dataset.markdown);
    if (!box) {
      return Promise.resolve();
    }
    var body = new FormData();
    body.append("text", textarea.value);
    body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    return fetch(url, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        return response.text().then(function (text) {
          var target = box.querySelector(".markdown-preview-body");
          if (response.ok) {
            // Sanitised on the server by the same renderer as the public pages.
            target.innerHTML = text;
          } else {
            target.textContent = text;
          }
          box.hidden = false;
        });
      });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-preview-url]");
    if (!button || !window.fetch) {
      return;
    }
    var form = button.form;
    var fields = form.querySelectorAll("textarea[data-markdown]");
    if (!fields.length) {
      return;
    }
    event.preventDefault();
    var jobs = [];
    fields.forEach(function (textarea) {
      jobs.push(showPreview(form, button.dataset.previewUrl, textarea));
    });
    Promise.all(jobs).catch(function () {
      // The network failed: fall back to the page's own preview.
      form.requestSubmit(button);
    });
  });
})();
