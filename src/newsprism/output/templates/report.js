// Filters the story list as the reader types: rows whose text holds every typed word stay.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("story-filter");
  if (!box) { return; }
  box.addEventListener("input", function () {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    document.querySelectorAll("#story-list tbody tr").forEach(function (row) {
      var text = row.textContent.toLowerCase();
      row.classList.toggle("hidden", !words.every(function (w) { return text.indexOf(w) >= 0; }));
    });
  });
});
