// Progress of a batch being audited, and scrolling to a rule's quote; every page also works without this.
(function () {
  var progress = document.getElementById("progress");
  if (progress && progress.dataset.url) {
    var poll = function () {
      fetch(progress.dataset.url, {headers: {"Accept": "application/json"}}).then(function (r) { return r.json(); })
        .then(function (p) {
          progress.textContent = progress.textContent.replace(/\d+\s*\/\s*\d+/, p.done + " / " + p.total);
          if (p.complete) { window.location.reload(); } else { setTimeout(poll, 1500); }
        }).catch(function () { setTimeout(poll, 5000); });
    };
    setTimeout(poll, 1000);
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.rule-link");
    if (!link) { return; }
    var target = document.getElementById(link.dataset.target);
    if (!target) { return; }
    event.preventDefault();
    document.querySelectorAll(".original .active").forEach(function (m) { m.classList.remove("active"); });
    // a quote may be cut into several pieces where quotes overlap: all of them light up
    var pieces = document.querySelectorAll('mark[data-quotes~="' + link.dataset.target + '"]');
    pieces.forEach(function (m) { m.classList.add("active"); });
    var first = pieces.length ? pieces[0] : target;   // no quote: the heading line of the part it belongs in
    first.classList.add("active");
    first.scrollIntoView({behavior: "smooth", block: "center"});
    history.replaceState(null, "", "#" + link.dataset.target);
  });
  // files dropped anywhere on the new-batch form go into its file field (the field alone takes drops too)
  var newForm = document.querySelector("form.new");
  if (newForm) {
    var input = newForm.querySelector("input[type=file]");
    newForm.addEventListener("dragover", function (event) { event.preventDefault(); newForm.classList.add("over"); });
    newForm.addEventListener("dragleave", function () { newForm.classList.remove("over"); });
    newForm.addEventListener("drop", function (event) {
      event.preventDefault();
      newForm.classList.remove("over");
      if (event.dataTransfer && event.dataTransfer.files.length) { input.files = event.dataTransfer.files; }
    });
  }
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });
})();
