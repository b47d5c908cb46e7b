// Moved out of Incubators/Import.cshtml so the Content-Security-Policy can forbid inline script.
// Progress for the import: upload with XMLHttpRequest to show how much is sent, then "validating N
// rows" while the server checks the file. Without JavaScript the form posts as usual.
(function () {
    var form = document.getElementById('import-form');
    if (!form || !window.XMLHttpRequest || !window.FormData || !window.DOMParser) return;
    var input = form.querySelector('input[type=file]');
    var button = form.querySelector('button[type=submit]');
    var box = document.getElementById('import-progress');
    var bar = box.querySelector('progress');
    var status = box.querySelector('.status');
    var max = parseInt(form.getAttribute('data-max-bytes'), 10);

    function say(text, value) {
        box.hidden = false;
        status.textContent = text;
        if (value === undefined) bar.removeAttribute('value'); else bar.value = value;
    }

    form.addEventListener('submit', function (event) {
        var file = input.files && input.files[0];
        if (!file) return; // the server says what is missing
        event.preventDefault();
        if (file.size > max) {
            say(box.getAttribute('data-too-large'), 0);
            return;
        }
        // Count the lines while the upload runs (a line break inside a quoted value counts too,
        // so this is "about N").
        var rows = null;
        if (file.arrayBuffer) {
            file.arrayBuffer().then(function (buffer) {
                var bytes = new Uint8Array(buffer), lines = 0;
                for (var i = 0; i < bytes.length; i++) if (bytes[i] === 10) lines++;
                if (bytes.length > 0 && bytes[bytes.length - 1] !== 10) lines++;
                rows = Math.max(0, lines - 1);
            });
        }
        var xhr = new XMLHttpRequest();
        xhr.open('POST', form.action);
        xhr.setRequestHeader('X-Requested-With', 'XMLHttpRequest');
        xhr.upload.onprogress = function (e) {
            if (e.lengthComputable) say(box.getAttribute('data-uploading') + ' ' + Math.round(100 * e.loaded / e.total) + '%', 100 * e.loaded / e.total);
        };
        xhr.upload.onload = function () {
            say(rows === null ? box.getAttribute('data-validating-unknown') : box.getAttribute('data-validating').replace('{n}', rows));
        };
        xhr.onload = function () {
            button.disabled = false;
            var type = xhr.getResponseHeader('Content-Type') || '';
            if (type.indexOf('application/json') === 0) {
                window.location.assign(JSON.parse(xhr.responseText).redirect);
                return;
            }
            var fresh = new DOMParser().parseFromString(xhr.responseText, 'text/html').getElementById('import-result');
            if (!fresh) {
                // Not this page (an error page, the login page): show it as the browser would.
                document.open(); document.write(xhr.responseText); document.close();
                return;
            }
            box.hidden = true;
            var current = document.getElementById('import-result');
            current.parentNode.replaceChild(document.importNode(fresh, true), current);
            document.getElementById('import-result').focus();
        };
        xhr.onerror = function () {
            button.disabled = false;
            say(box.getAttribute('data-failed'), 0);
        };
        button.disabled = true;
        say(box.getAttribute('data-uploading'), 0);
        xhr.send(new FormData(form));
    });
})();
