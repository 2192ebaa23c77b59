// Impact map editor: choosing a proxy from the shared library fills the outcome's proxy
// fields at once. Without JavaScript the server fills them on save (impact.services).
(function () {
  "use strict";
  function fill(select) {
    var option = select.options[select.selectedIndex];
    if (!option || !option.dataset.value) { return; }
    var prefix = select.name.replace(/shared_proxy$/, "");
    var form = select.form;
    var fields = {
      proxy_value: option.dataset.value,
      proxy_source: option.dataset.source,
      proxy_description: option.dataset.description,
      proxy_year: option.dataset.year
    };
    Object.keys(fields).forEach(function (name) {
      var input = form.elements[prefix + name];
      if (input) { input.value = fields[name]; }
    });
  }
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-proxy-fill]")) { fill(target); }
  });
})();
