// The poster page's print button (a script file of our own: the page's policy allows no
// inline handlers).
document.addEventListener('DOMContentLoaded', function () {
  var button = document.querySelector('[data-print]');
  if (button) button.addEventListener('click', function () { window.print(); });
});
