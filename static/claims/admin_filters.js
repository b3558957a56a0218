// Autocomplete list filters apply as soon as a value is picked (select2 fires jQuery events).
"use strict";
window.addEventListener("load", function () {
  if (!window.django || !django.jQuery) return;
  django.jQuery(document).on("change", ".autocomplete-filter select", function () {
    this.form.submit();
  });
});
