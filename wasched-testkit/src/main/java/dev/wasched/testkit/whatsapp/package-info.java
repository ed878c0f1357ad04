/**
 * A WhatsApp Web simulator for testing browser-automation transports offline:
 * {@link dev.wasched.testkit.whatsapp.WhatsAppWebSimulator}.
 *
 * <h2>The DOM contract</h2>
 *
 * <p>These are the facts a transport may rely on; they mirror what WhatsApp Web shows. Names
 * marked <i>(variant)</i> can be changed at run time through
 * {@link dev.wasched.testkit.whatsapp.DomVariant} to test selector overrides; the standard name
 * is given. Everything not listed here (classes, layout, other attributes) is decoration and may
 * change.
 *
 * <h3>Login (not linked)</h3>
 * <ul>
 *   <li><b>QR code</b>: {@code <div data-ref="PAYLOAD"><canvas></canvas></div>}. The canvas shows
 *       the payload as a real, decodable QR code. The payload ({@code 2@...,...,...,...}) changes
 *       every rotation interval (builder, default 20 s), in place: same element, new attribute
 *       value.</li>
 *   <li><b>Expired QR</b>: after the configured number of rotations the QR expires. The
 *       {@code div[data-ref]} stays (with its last, now useless payload, and class
 *       {@code expired}) and gains a {@code button} containing {@code span[data-icon="refresh-large"]}
 *       and the text {@code Click to reload QR code}. Clicking it starts a new series of
 *       payloads; the button disappears.</li>
 *   <li><b>Pairing code</b>: an element {@code [role="button"]} with text {@code Link with phone number}
 *       switches to a form with {@code input[aria-label="Type your phone number."]} and a
 *       {@code button} with text {@code Next} (Enter in the input works too). An implausible
 *       number shows {@code [role="alert"]} with {@code Invalid phone number}. Then the code is
 *       shown as {@code <div data-link-code="ABCD-EFGH">} (8 characters with a dash after the
 *       fourth; also the element's text). {@code Link with QR code instead} goes back. The
 *       number entered must be the simulated account's own
 *       ({@link dev.wasched.testkit.whatsapp.WhatsAppWebSimulator.Builder#phoneNumber(String)}).</li>
 * </ul>
 *
 * <h3>Linking and the session</h3>
 * <ul>
 *   <li>After the phone links the page (control API), the page stores its session and shows
 *       {@code #startup} (a {@code progress} element and the text {@code Loading your chats})
 *       for the configured loading time, then the main UI.</li>
 *   <li><b>Session keys</b>: on link the page creates a non-extractable AES-GCM key
 *       ({@code crypto.subtle.generateKey(..., false, ...)}) and stores the {@code CryptoKey} object in
 *       IndexedDB, database {@code wawc_db_enc}, store {@code keys}, as the record
 *       {@code {id: 1, key, _expiration}}; its login data goes to {@code localStorage['WASimSession']},
 *       encrypted with that key ({@code {"iv": ..., "data": ...}}, base64). All this is written
 *       <em>before</em> the loading screen appears. On load the page decrypts that item with the key
 *       from IndexedDB; if the server still accepts the session it goes straight to {@code #startup}
 *       and the main UI, without a QR code. If the key is missing or is not a {@code CryptoKey}
 *       (Playwright's storage state serialises a {@code CryptoKey} as {@code {}}, so a context
 *       restored from storage state has the encrypted item but no usable key), or the item cannot be
 *       decrypted, the page shows the QR code. Only the browser profile itself (its
 *       {@code IndexedDB} and {@code Local Storage} folders) carries the key from one browser start to
 *       the next.
 *       Public evidence: WhatsApp Web keeps {@code CryptoKey} objects in the {@code keys} store of
 *       the {@code wawc_db_enc} database, records {@code {id, key: CryptoKey, _expiration}}, created
 *       non-extractable ({@code importKey("raw", ..., false, ["deriveKey"])}) and used to derive the
 *       keys that encrypt its local data (WhatsApp Web's module {@code WAWebDbEncryptionKey}; the
 *       write-up behind bitonic/wadump, "Storing, retrieving, and deriving keys", and its
 *       {@code dump-messages.js}); whatsapp-web.js does not use storage state for its remote
 *       sessions but archives the browser profile's {@code Default/IndexedDB} and
 *       {@code Default/Local Storage} folders and restores them as the user data directory
 *       ({@code src/authStrategies/RemoteAuth.js} of pedroslopez/whatsapp-web.js, commit
 *       0053d7bf4ea7f42c1dae1656a467db4074c60fcd: {@code requiredDirs}, {@code compressSession},
 *       {@code extractRemoteSession}).</li>
 *   <li><b>Which account linked</b>: together with the session the page stores its own JID in
 *       {@code localStorage['last-wid-md']}, JSON-encoded: {@code "DIGITS:DEVICE@c.us"}, the
 *       number of the phone that linked it and a device number after the colon. A phone of
 *       another account can link a page
 *       ({@link dev.wasched.testkit.whatsapp.WhatsAppWebSimulator#scanQrAs(String, String)}); its
 *       number is then the one stored, and group message ids carry it.
 *       Public evidence: WhatsApp Web's own module {@code WAWebUserPrefsMeUser} (the "me" user)
 *       that whatsapp-web.js reads for the linked account ({@code src/Client.js} of
 *       pedroslopez/whatsapp-web.js: {@code getMaybeMePnUser()}; older releases,
 *       {@code docs/util_Injected.js.html}: {@code window.Store.User.getMaybeMeUser()}); the
 *       {@code last-wid-md} item read as the logged-in marker by keshavbhatt/whatsie
 *       ({@code src/mainwindow_lock.cpp}); the {@code NUMBER:DEVICE@c.us} form with the device
 *       after the colon in wwebjs/whatsapp-web.js issue #2539.</li>
 *   <li>When the phone logs the device out, the open page notices within one poll interval
 *       (default 250 ms), clears IndexedDB (key included) and localStorage and navigates to {@code /}, which
 *       shows the QR code.</li>
 * </ul>
 *
 * <h3>Main UI (linked)</h3>
 * <ul>
 *   <li><b>Chat list</b>: {@code #pane-side} <i>(variant)</i>. Each chat is a
 *       {@code div[role="listitem"]} containing {@code span[title="NAME"]} (a group's name, a
 *       contact's saved name, or {@code +DIGITS}); clicking it opens the chat. Inside the list,
 *       titles are unique; the open chat's header repeats its title, so scope to the list.</li>
 *   <li><b>Search</b>: {@code span[data-icon="search"]} <i>(variant)</i> inside a {@code button}
 *       focuses the search box {@code div[contenteditable="true"][data-tab="3"]} <i>(variant)</i>.
 *       Typing filters the list by name or number and also lists registered numbers without
 *       history.</li>
 *   <li><b>Click to chat</b>: {@code /send?phone=DIGITS}, optionally {@code &text=URLENCODED} (a
 *       leading {@code +} in the number is fine). If the number is registered, the chat opens, with
 *       {@code text} in the compose box when given. Otherwise a popup {@code div[data-animate-modal-popup="true"]} appears
 *       whose text contains {@code Phone number shared via url is invalid.} <i>(variant)</i>, with
 *       a {@code button} {@code OK} that closes it; no chat opens. When not linked, {@code /send}
 *       shows the QR code; linking then opens the chat. After handling the link the page
 *       replaces its URL with {@code /}, so a reload does not open the chat again.</li>
 *   <li><b>Open chat</b>: {@code #main}, with a {@code header} containing {@code span[title="NAME"]},
 *       the history of earlier messages in that chat (all that the server knows, including
 *       those sent from other pages), and the compose box
 *       {@code div[contenteditable="true"][data-tab="10"]} <i>(variant)</i>, which receives focus.</li>
 *   <li><b>Send</b>: while the compose box holds text, the footer has
 *       {@code button > span[data-icon="send"]} <i>(variant)</i>; while it is empty, that button is
 *       replaced by {@code span[data-icon="ptt"]}. Clicking send or pressing Enter (Shift+Enter
 *       is a line break) sends the trimmed text and empties the box.</li>
 *   <li><b>Outgoing bubble</b>: {@code div.message-out[data-id="ID"]} appended to the chat at
 *       once, with the text in {@code span.selectable-text} and a status icon
 *       {@code span[data-icon]} that moves {@code msg-time} (not accepted by the server yet) →
 *       {@code msg-check} (accepted: recorded) → {@code msg-dblcheck} (delivered) →
 *       {@code msg-dblcheck-ack} (read), never backwards, updated live within one poll
 *       interval. The {@code data-id} is final from the moment the bubble appears and equals
 *       {@link dev.wasched.testkit.whatsapp.ReceivedMessage#id()}: {@code true_DIGITS@c.us_KEY} for
 *       a direct chat, {@code true_GROUPID@g.us_KEY_OWNDIGITS@c.us} for a group.</li>
 *   <li><b>Attachments</b>: {@code span[data-icon="clip"]} <i>(variant)</i> opens a menu
 *       ({@code ul[role="menu"]}) whose items each contain an {@code input[type="file"]}:
 *       {@code Document} ({@code accept="*"}) and {@code Photos & videos}. Choosing a file (one)
 *       replaces the conversation and footer with a preview {@code div[data-media-preview]}
 *       holding a caption box {@code div[contenteditable="true"][data-tab="undefined"]} (also
 *       {@code aria-label="Add a caption"}) and {@code div[role="button"] > span[data-icon="send"]}
 *       <i>(variant)</i>, then the only send icon on the page. Sending (click or Enter) shows a
 *       bubble as above, with {@code [data-media-name]} and the caption in
 *       {@code span.selectable-text}. Files up to 48 MB are accepted.</li>
 * </ul>
 *
 * <h3>Faults as the page shows them</h3>
 * <ul>
 *   <li>Reload: the page calls {@code location.reload()} within one poll interval; a linked page
 *       comes back through {@code #startup} to the main UI with no chat open.</li>
 *   <li>Slow sends: the bubble keeps {@code msg-time} for the delay. Dropped sends: it keeps
 *       {@code msg-time} for good, and the message disappears on reload.</li>
 *   <li>DOM variant change: open pages reload and use the new names.</li>
 * </ul>
 */
package dev.wasched.testkit.whatsapp;
