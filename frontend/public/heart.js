/* global document, window, fetch */
/**
 * Cairn's heart button for a Shopify storefront (issue 12). No dependencies; include once:
 *
 *   <script src="https://<portal>/heart.js" data-proxy="/apps/cairn"
 *           data-signup-url="https://<portal>/portal/sign-up" data-lang="de" defer></script>
 *
 * and put <span data-cairn-heart data-variant-id="…" data-product-title="…"></span> on each
 * product card (storefront/snippets/cairn-heart.liquid). Each becomes a real <button> with
 * aria-pressed, a label in the page's language, keyboard use and a visible focus ring. Requests go
 * to the shop's App Proxy (same origin), which Shopify signs with the logged-in customer's id; a
 * visitor who is not logged in is sent to the two-screen sign-up. See docs/storefront.md.
 */
(function () {
  var script = document.currentScript;
  var attr = function (name, fallback) {
    return (script && script.getAttribute(name)) || fallback;
  };
  var proxy = attr('data-proxy', '/apps/cairn');
  var signup = attr('data-signup-url', '');
  var words = {
    en: ['Save to favourites', 'Could not save. Please try again.', 'Saved', 'Removed'],
    de: ['In Favoriten speichern', 'Speichern fehlgeschlagen. Bitte erneut versuchen.', 'Gespeichert', 'Entfernt'],
    fr: ['Ajouter aux favoris', "Échec de l'enregistrement. Veuillez réessayer.", 'Ajouté', 'Retiré'],
    es: ['Guardar en favoritos', 'No se pudo guardar. Inténtalo de nuevo.', 'Guardado', 'Quitado'],
    zh: ['加入收藏', '保存失败，请重试。', '已收藏', '已移除'],
  };
  var lang = String(attr('data-lang', document.documentElement.lang || 'en'))
    .slice(0, 2)
    .toLowerCase();
  var t = words[lang] || words.en;
  var signedIn = true;

  var style = document.createElement('style');
  style.textContent =
    '.cairn-heart{display:inline-grid;place-items:center;width:44px;height:44px;border-radius:50%;' +
    'border:1px solid #8c959f;background:#fff;color:#b42318;cursor:pointer;padding:0}' +
    '.cairn-heart:focus-visible{outline:3px solid #1a73e8;outline-offset:2px}' +
    '.cairn-heart[aria-pressed="true"] svg{fill:currentColor}' +
    '.cairn-heart-status{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}';
  document.head.appendChild(style);
  var status = document.createElement('div');
  status.className = 'cairn-heart-status';
  status.setAttribute('role', 'status');
  document.body.appendChild(status);

  function ask(query) {
    // A random n makes every signed request unique (the function refuses a replayed signature).
    var url = proxy + '?' + query + '&n=' + Math.floor(Math.random() * 1e12);
    return fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    });
  }

  function goSignUp(id) {
    if (signup) window.location.href = signup + (signup.indexOf('?') < 0 ? '?' : '&') + 'variant=' + id;
  }

  var buttons = {};
  var mounts = document.querySelectorAll('[data-cairn-heart][data-variant-id]');
  for (var i = 0; i < mounts.length; i++) {
    (function (mount) {
      var id = mount.getAttribute('data-variant-id');
      if (!/^\d{1,18}$/.test(id || '') || mount.querySelector('.cairn-heart')) return;
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'cairn-heart';
      button.setAttribute('aria-pressed', 'false');
      button.setAttribute('aria-label', t[0] + ': ' + (mount.getAttribute('data-product-title') || ''));
      button.innerHTML =
        '<svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" ' +
        'stroke="currentColor" stroke-width="2"><path d="M12 21s-7.5-4.6-9.5-9.1C1.1 8.6 3.2 5 6.6 5c2 0 ' +
        '3.3 1.1 4.1 2.3h2.6C14.1 6.1 15.4 5 17.4 5c3.4 0 5.5 3.6 4.1 6.9C19.5 16.4 12 21 12 21z"/></svg>';
      button.addEventListener('click', function () {
        if (!signedIn) return goSignUp(id);
        var next = button.getAttribute('aria-pressed') !== 'true';
        button.setAttribute('aria-pressed', String(next));
        ask('variant=' + id + '&favourite=' + next).then(
          function (answer) {
            if (!answer.signed_in || !answer.known_customer) {
              signedIn = false;
              button.setAttribute('aria-pressed', 'false');
              return goSignUp(id);
            }
            status.textContent = next ? t[2] : t[3];
          },
          function () {
            button.setAttribute('aria-pressed', String(!next));
            status.textContent = t[1];
          },
        );
      });
      mount.appendChild(button);
      (buttons[id] = buttons[id] || []).push(button);
    })(mounts[i]);
  }

  var ids = Object.keys(buttons);
  if (ids.length) {
    ask('variants=' + ids.slice(0, 100).join(',')).then(
      function (answer) {
        signedIn = !!(answer.signed_in && answer.known_customer);
        (answer.favourites || []).forEach(function (id) {
          (buttons[String(id)] || []).forEach(function (button) {
            button.setAttribute('aria-pressed', 'true');
          });
        });
      },
      function () {},
    );
  }
})();
