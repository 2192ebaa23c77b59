// A tag box holds several tags separated by commas, but a <datalist> suggests whole values:
// after each comma, offer the approved tags again, prefixed with what is typed before it.
(function () {
  "use strict";
  document.querySelectorAll("input[list$='-vocabulary']").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) return;
    var names = Array.prototype.map.call(list.options, function (option) {
      return option.value;
    });
    input.addEventListener("input", function () {
      var cut = input.value.lastIndexOf(",");
      var before = cut < 0 ? "" : input.value.slice(0, cut + 1).replace(/\s*$/, " ");
      list.replaceChildren.apply(
        list,
        names.map(function (name) {
          var option = document.createElement("option");
          option.value = before + name;
          return option;
        })
      );
    });
  });
})();
