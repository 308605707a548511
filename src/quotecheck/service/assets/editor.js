// The editor page: posts the article (and sources) to /v1 and shows the HTML report in a
// sandboxed frame (no same-origin: the report's own script cannot reach this page or its token).
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var status = $("status");
  var token = $("token");
  var download = $("download");
  var counter = 0;
  try { token.value = sessionStorage.getItem("quotecheck-token") || ""; } catch (e) { /* no storage */ }

  function addBox(fieldset, kind, label) {
    counter += 1;
    var id = kind + "-" + counter;
    var lab = document.createElement("label");
    lab.htmlFor = id;
    lab.textContent = label + " " + (fieldset.querySelectorAll("textarea").length + 1);
    var box = document.createElement("textarea");
    box.id = id;
    box.className = "source " + kind;
    box.spellcheck = false;
    fieldset.insertBefore(lab, fieldset.lastElementChild);
    fieldset.insertBefore(box, fieldset.lastElementChild);
    box.focus();
  }
  $("add-source").addEventListener("click", function () { addBox($("evidence"), "evidence", "Source"); });
  $("add-transcript").addEventListener("click", function () { addBox($("transcripts"), "transcript", "Transcript"); });

  function texts(kind) {
    var out = [];
    Array.prototype.forEach.call(document.querySelectorAll("textarea." + kind), function (box, i) {
      if (box.value.trim()) { out.push({ id: kind + "-" + (i + 1), text: box.value }); }
    });
    return out;
  }
  function say(message, isError) {
    status.textContent = message;
    status.className = isError ? "error" : "";
  }
  function busy(on) {
    $("find").disabled = on;
    $("check").disabled = on;
  }

  function send(route) {
    var article = $("article").value;
    if (!article.trim()) { say("Paste the article first.", true); $("article").focus(); return; }
    var body = { text: article };
    if ($("article-id").value.trim()) { body.article_id = $("article-id").value.trim(); }
    if (route === "check") {
      body.evidence = texts("evidence");
      body.transcripts = texts("transcript");
      if (!body.evidence.length && !body.transcripts.length) {
        say("Add a source or a transcript to check against.", true);
        return;
      }
    }
    var headers = { "Content-Type": "application/json", "Accept": "text/html" };
    var secret = token.value.trim();
    if (secret) { headers.Authorization = "Bearer " + secret; }
    try { sessionStorage.setItem("quotecheck-token", secret); } catch (e) { /* no storage */ }
    busy(true);
    say(route === "check" ? "Checking… (the model answers one question at a time)" : "Finding quotes…", false);
    var started = Date.now();
    fetch("/v1/" + route + "?format=html", { method: "POST", headers: headers, body: JSON.stringify(body) })
      .then(function (response) {
        return response.text().then(function (text) { return { response: response, text: text }; });
      })
      .then(function (r) {
        if (!r.response.ok) {
          var detail = r.text;
          try { detail = JSON.parse(r.text).detail || detail; } catch (e) { /* not JSON */ }
          if (r.response.status === 401) { token.focus(); }
          var retry = r.response.headers.get("Retry-After");
          say("Error " + r.response.status + ": " + detail + (retry ? " (retry in " + retry + " s)" : ""), true);
          return;
        }
        var frame = $("report");
        frame.srcdoc = r.text;
        frame.hidden = false;
        $("empty").hidden = true;
        if (download.href.indexOf("blob:") === 0) { URL.revokeObjectURL(download.href); }
        download.href = URL.createObjectURL(new Blob([r.text], { type: "text/html" }));
        download.hidden = false;
        say("Done in " + ((Date.now() - started) / 1000).toFixed(1) + " s.", false);
      })
      .catch(function (err) { say("The server did not answer: " + err.message, true); })
      .then(function () { busy(false); });
  }
  $("form").addEventListener("submit", function (e) { e.preventDefault(); send("quotes"); });
  $("check").addEventListener("click", function () { send("check"); });
})();
