// The big screen of a speed meeting: counts down each second from what the server
// said, and reloads every few seconds (and when a countdown ends) to follow the day.
(function () {
  "use strict";
  var head = document.querySelector("[data-refresh]");
  var refresh = head ? parseInt(head.getAttribute("data-refresh"), 10) : 15;
  var started = Date.now();
  var clocks = Array.prototype.slice.call(document.querySelectorAll("[data-seconds]"));
  function tick() {
    var elapsed = Math.floor((Date.now() - started) / 1000);
    clocks.forEach(function (clock) {
      var left = Math.max(0, parseInt(clock.getAttribute("data-seconds"), 10) - elapsed);
      var minutes = Math.floor(left / 60);
      var seconds = left % 60;
      clock.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      if (left === 0 && clock.getAttribute("data-seconds") !== "0") {
        window.location.reload();
      }
    });
    if (elapsed >= refresh) {
      window.location.reload();
    }
  }
  tick();
  window.setInterval(tick, 1000);
})();
