// The report's print button (an onclick attribute would need 'unsafe-inline' in the Content-Security-Policy).
document.addEventListener('click', function (event) {
    if (event.target.closest && event.target.closest('[data-print]')) window.print();
});
