/*! kudos-widget loader: the one classic script a site owner pastes.
 *
 * It runs synchronously, while `document.currentScript` still points at its own tag, to read the
 * tag's data-* attributes and its own URL. It then places a host element (right after itself, or in
 * the element named by data-target), loads the wasm glue from next to itself and mounts.
 * It knows nothing about forms: validating the attributes is the widget's job. */
(function () {
  'use strict';
  var PREFIX = '[kudos-widget] ';
  var script = document.currentScript;
  // Without currentScript (loaded as a module, or injected late) there are no attributes to read.
  if (!script || !script.src) return;

  var options = {};
  for (var i = 0; i < script.attributes.length; i++) {
    var attribute = script.attributes[i];
    if (attribute.name.indexOf('data-') === 0) options[attribute.name.slice(5)] = attribute.value;
  }

  var host;
  if (options.target) {
    try {
      host = document.querySelector(options.target);
    } catch (error) {
      host = null;
    }
    if (!host) {
      console.error(PREFIX + 'data-target="' + options.target +
        '" matches no element on this page, so nothing was mounted. ' +
        'Use a CSS selector such as "#kudos", or remove data-target to mount right after the script tag.');
      return;
    }
  } else {
    host = document.createElement('div');
    script.parentNode.insertBefore(host, script.nextSibling);
  }
  host.setAttribute('data-kudos-widget', '');

  // A light-DOM child keeps the host from matching `:empty { display: none }` rules, and is what a
  // visitor reads until the widget is up (a shadow root hides it without a slot).
  var placeholder = document.createElement('p');
  placeholder.textContent = 'Loading\u2026';
  host.appendChild(placeholder);

  function fail(message) {
    console.error(PREFIX + message);
    if (options.target) {
      placeholder.remove();
    } else {
      host.remove();
    }
  }

  // Assets live next to this script; script.src is already absolute, so a <base href> on the host
  // page cannot redirect them.
  var glue = new URL('kudos-widget.js', script.src).href;
  var wasm = new URL('kudos-widget_bg.wasm', script.src).href;
  import(glue)
    .then(function (widget) {
      return widget.default({ module_or_path: wasm }).then(function () {
        try {
          widget.mount(host, options);
        } catch (error) {
          fail(error && error.message ? error.message : String(error));
        }
      });
    })
    .catch(function (error) {
      fail('could not load ' + glue + ': ' + (error && error.message ? error.message : error));
    });
})();
