// "New claim from selection": the selected words (and their offset in the article, for the
// prefix/suffix) go to the claim add form, which pre-fills one evidence row with them.
"use strict";
(function () {
  var article = document.getElementById("article");
  var button = document.getElementById("selection-claim");
  if (!article || !button) return;

  function blockOf(node) {
    var el = node.nodeType === 1 ? node : node.parentElement;
    return el && el.closest(".block-text") ? el.closest(".block") : null;
  }

  function offsetIn(block, range) {
    var text = block.querySelector(".block-text");
    var before = document.createRange();
    before.setStart(text, 0);
    before.setEnd(range.startContainer, range.startOffset);
    return Number(block.dataset.start) + before.toString().length;
  }

  document.addEventListener("selectionchange", function () {
    var sel = window.getSelection();
    var quote = sel ? sel.toString() : "";
    if (!quote.trim() || !sel.rangeCount) { button.style.display = "none"; return; }
    var range = sel.getRangeAt(0);
    var block = blockOf(range.startContainer);
    if (!block || !article.contains(block)) { button.style.display = "none"; return; }
    var params = new URLSearchParams({ source: article.dataset.source, quote: quote });
    if (blockOf(range.endContainer) === block) params.set("start", String(offsetIn(block, range)));
    button.href = article.dataset.addUrl + "?" + params.toString();
    var rect = range.getBoundingClientRect();
    button.style.top = Math.max(8, rect.bottom + 6) + "px";
    button.style.left = Math.max(8, rect.left) + "px";
    button.style.display = "inline-block";
  });
})();
