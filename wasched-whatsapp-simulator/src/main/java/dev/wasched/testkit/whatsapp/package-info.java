/**
 * A WhatsApp Web simulator for testing browser-automation transports offline:
 * {@link dev.wasched.testkit.whatsapp.WhatsAppWebSimulator}.
 *
 * <h2>Page generations</h2>
 *
 * <p>The simulator serves one of two pages ({@link dev.wasched.testkit.whatsapp.PageGeneration}, builder option
 * {@code pageGeneration}): {@code WEB_2026}, the page of 2025-26 and the default, and {@code WEB_2024}, the page
 * this simulator first modelled, kept unchanged. The system property {@code wasched.simulator.pageGeneration}
 * changes the default (never an explicit choice), so a suite written for one page can run against the other.
 * The control API is the same for both; the screens (passkey, "What's new", open elsewhere, restricted account,
 * connection states) exist on {@code WEB_2026} only and their control methods throw
 * {@code IllegalStateException} on {@code WEB_2024}. Both count full page loads
 * ({@link dev.wasched.testkit.whatsapp.WhatsAppWebSimulator#pageLoads()}) and show the loading screen for the
 * boot time (builder {@code loadingScreen}, default 8 s) on every load of a linked page.
 *
 * <h2>The DOM contract of the 2024 page ({@code WEB_2024})</h2>
 *
 * <p>These are the facts a transport may rely on; they mirror what WhatsApp Web shows. Names
 * marked <i>(variant)</i> can be changed at run time through
 * {@link dev.wasched.testkit.whatsapp.DomVariant} to test selector overrides; the standard name
 * is given. Everything not listed here (classes, layout, other attributes) is decoration and may
 * change. The 2025-26 page follows in its own section below.
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
 *       and the main UI, without a QR code, and leaves key and item as they are: only a link writes
 *       them (the key record carries an {@code _expiration} years ahead, see below), so a load cut
 *       short by the next one cannot leave an item that the stored key does not decrypt.
 *       If the key is missing or is not a {@code CryptoKey}
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
 *
 * <h2>The DOM contract of the 2025-26 page ({@code WEB_2026}, the default)</h2>
 *
 * <p>Where nothing else is said, it is as on the 2024 page (QR code {@code div[data-ref]} and its rotation and
 * expiry, {@code #startup}, the session key in {@code wawc_db_enc}/{@code keys}, {@code last-wid-md}, logout,
 * reload, slow and dropped sends, attachments' {@code input[type="file"]} menu and preview). <i>(variant)</i>
 * names have the standard values of {@code DomVariant.standard(WEB_2026)}. Sources are named at the end of each
 * item; "field probes" are public notes of automation projects that inspected the live page in 2026 (the public
 * code index keeps their text but not always their repository): an Italian selector catalogue measured on
 * 2026-07-27 ("Catalogo DOM WhatsApp Web"), a Portuguese structure note of 2026-09-24 ("Estrutura real do
 * WhatsApp Web"), a Portuguese status-classification test confirmed on 2026-09-08, and a Russian DOM probe run on
 * 2026-09-01.
 *
 * <h3>Page and login</h3>
 * <ul>
 *   <li><b>Build version</b>: {@code window.Debug.VERSION}, e.g. {@code 2.3000.1031980585} (builder
 *       {@code webVersion}), set before the page's own script runs. Source: whatsapp-web.js waits for
 *       {@code window.Debug && window.Debug.VERSION} before injecting ({@code src/Client.js}); wppconnect-team/wa-js
 *       compares {@code self.Debug.VERSION} with {@code 2.3000.0} to pick its loader; Baileys-based tools read it
 *       to learn the current version.</li>
 *   <li><b>QR screen</b>: title {@code Scan to log in}; the canvas inside {@code div[data-ref]} has
 *       {@code aria-label="Scan this QR code to link a device!"}; a checkbox {@code input[type="checkbox"]} inside a
 *       {@code label} with the text {@code Stay logged in on this browser}, <b>checked</b> by default; the link
 *       {@code [role="button"]} {@code Log in with phone number}. Unchecking the box before the link keeps the
 *       encrypted login data ({@code WASimSession}) and {@code last-wid-md} in {@code sessionStorage} instead of
 *       {@code localStorage}: the session survives reloads of that tab but not a new tab or a browser restart (the
 *       profile then shows the QR code). Sources: field probes (the canvas label, selector list "last verified
 *       2026-02-11"); a WhatsApp Web clone's login screen spec listing the "Stay logged in on this browser"
 *       checkbox and the "Log in with phone number" link; an agent test fixture of web.whatsapp.com's login page
 *       with both texts.</li>
 *   <li><b>Phone number login</b>: title {@code Enter phone number}, {@code input[aria-label="Type your phone number."]},
 *       {@code button} {@code Next} (or Enter), {@code [role="alert"]} {@code Invalid phone number}; back link
 *       {@code [role="button"]} {@code Log in with QR code}. The code: {@code div[data-link-code="A,B,C,D,E,F,G,H"]}
 *       with {@code aria-details="link-device-phone-number-code-screen-instructions"}: the attribute is the eight
 *       characters joined by commas (no dash); inside, eight cells {@code span.link-code-cell} of one character
 *       each and between the fourth and fifth a {@code span[aria-hidden="true"]} holding {@code -}, so the
 *       element's text is {@code ABCD-EFGH}. Source: WhatsApp Web's module
 *       {@code WAWebLinkDevicePhoneNumberCodeCells.react} (the code split into characters and passed as
 *       {@code data-link-code}, cells of the first four and the last four around an {@code aria-hidden} hyphen);
 *       automation scripts that read {@code data-link-code} and remove the commas.</li>
 *   <li><b>Loading</b>: {@code #startup} as on the 2024 page, shown for the boot time; right after a link it lasts
 *       until the chat history is written too (see Session).</li>
 * </ul>
 *
 * <h3>Session</h3>
 * <ul>
 *   <li>The key and the encrypted login data as on the 2024 page ({@code wawc_db_enc}/{@code keys}, a
 *       non-extractable {@code CryptoKey}).</li>
 *   <li><b>Chat history</b>: IndexedDB database {@code model-storage}, store {@code message} (key path {@code id}),
 *       filled once per profile after the link with records of random text up to the configured size (builder
 *       {@code chatHistoryBytes}, default 256 KiB; the record {@code __history} holds {@code bytes} and
 *       {@code records}); every message sent from the page is added to it, so a busy page writes to its profile
 *       all the time. A logout deletes it with the rest. Source: bitonic/wadump reads messages from WhatsApp
 *       Web's {@code model-storage} database, {@code message} store.</li>
 * </ul>
 *
 * <h3>Main UI</h3>
 * <ul>
 *   <li><b>Chat list</b>: {@code #pane-side} <i>(variant)</i> containing
 *       {@code div[role="grid"][aria-label="Chat list"][aria-rowcount=N]}; each chat is a {@code div[role="row"]}
 *       whose {@code div[role="gridcell"]} holds {@code span[title="NAME"][dir="auto"]} and the last message (with
 *       its status SVG for own messages). There is no {@code role="listitem"} in the list. Clicking a row opens the
 *       chat in {@code #main} without a page load. Sources: field probes ({@code #pane-side}, {@code [role='row']}
 *       67-70 of them, ~3 {@code gridcell}s per row, "{@code [role='listitem']} does not exist", the grid's
 *       {@code aria-rowcount}); peer notes that click the {@code gridcell}.</li>
 *   <li><b>Search</b>: an {@code <input type="text" role="textbox">} with
 *       {@code aria-label="Search or start a new chat"} and the same {@code placeholder}, {@code data-tab="3"}
 *       <i>(variant)</i>; no {@code contenteditable}, no search button (an icon {@code span[data-icon="search-refreshed"]}
 *       <i>(variant)</i> sits beside it). Typing (also {@code fill}) filters: the list then starts each non-empty
 *       section with a header row {@code div[role="row"]} that has no {@code span[title]}: {@code Chats} (chats and
 *       groups whose name or number matches) then {@code Contacts} (registered numbers without a chat yet, by name
 *       or digits); nothing found shows {@code No chats, contacts or messages found}. Pick rows by
 *       {@code span[title]}, never by position. Sources: field probes ("It is an INPUT, not a contenteditable",
 *       aria-label "Pesquisar ou começar uma nova conversa" in Portuguese; section headers "Chat", "Contatti",
 *       "Messaggi" are {@code role='row'} like chats, "clicking rows[0] opens nothing").</li>
 *   <li><b>New chat</b>: {@code button[aria-label="New chat"]} in the side header opens a panel
 *       ({@code [aria-label="New chat"]}, title {@code New chat}, back {@code button[aria-label="Back"]}, Escape
 *       closes) with {@code input[aria-label="Search name or number"]}, the items {@code New group},
 *       {@code New contact}, {@code New community}, then every registered number as
 *       {@code div[role="listitem"] > div[role="button"]} holding {@code span[title="NAME"]}, sorted by name.
 *       Clicking one opens its chat in place. Source: field probes ("New chat" button and panel, contacts as
 *       {@code [role="listitem"]} with a {@code [role="button"]} inside, Escape closes).</li>
 *   <li><b>Click to chat</b> {@code /send?phone=...&text=...} works as on the 2024 page (it is a full page load).
 *       The invalid-number popup is {@code div[data-animate-modal-popup="true"] > div[role="dialog"]} with the
 *       text of {@link dev.wasched.testkit.whatsapp.InvalidNumberWording} (builder {@code invalidNumberWording}, or
 *       any text through the DOM variant; {@code {phone}} becomes {@code +DIGITS}) and a {@code button} {@code OK}.
 *       Sources: automation scripts matching "Phone number shared via url is invalid", "isn't on WhatsApp",
 *       "couldn't find this phone number".</li>
 *   <li><b>Open chat</b>: {@code #main}; {@code header} with {@code span[title="NAME"]}; the message list
 *       {@code div[role="application"][aria-label="Message list"][data-tab="8"]}; the {@code footer} with
 *       {@code button[aria-label="Attach"] > span[data-icon="plus-rounded"]} <i>(variant)</i>,
 *       {@code button[aria-label="Emojis, GIFs, stickers"]}, the compose box and the send slot. Source: field probes
 *       (footer buttons "Anexar", "Emojis, GIFs, figurinhas", "Mensagem de voz"; {@code data-tab} 8 message list,
 *       10 input, 11 send).</li>
 *   <li><b>Compose box</b>: {@code footer div[contenteditable="true"][role="textbox"][data-tab="10"]} <i>(variant)</i>
 *       with {@code data-lexical-editor="true"}, inside {@code div.lexical-rich-text-input}, and
 *       {@code aria-label="Type a message to NAME"} ({@code Type a message to group NAME} in a group); it receives
 *       focus. Enter sends, Shift+Enter breaks the line. Sources: field probes ({@code data-lexical-editor},
 *       aria-label "Digita un messaggio per &lt;nome&gt;" / "Digite uma mensagem para &lt;contato&gt;").</li>
 *   <li><b>Send button</b>: only while the box holds text,
 *       {@code button[data-tab="11"][aria-label="Send"] > span[data-icon="wds-ic-send-filled"]} <i>(variant)</i>,
 *       the span holding an SVG titled the same; otherwise {@code button[aria-label="Voice message"]}. In the
 *       attachment preview: {@code div[role="button"][aria-label="Send"] > span[data-icon="wds-ic-send-filled"]}.
 *       Sources: automation code of 2025-26 clicking {@code span[data-icon="wds-ic-send-filled"]} and
 *       {@code button:has(span[data-icon="wds-ic-send-filled"])}; field probes ({@code data-tab="11"}).</li>
 * </ul>
 *
 * <h3>Messages</h3>
 * <ul>
 *   <li><b>Row</b>: {@code div[role="row"] > div[data-id="KEY"][data-virtualized="false"]}: the {@code data-id}
 *       is on the row's wrapper and is the bare message key ({@code 3EB0} + 16 hex digits), without the
 *       {@code true_CHAT_} prefix; {@link dev.wasched.testkit.whatsapp.WhatsAppWebSimulator#receivedMessage(String)},
 *       {@code awaitStatus}, {@code deliver} and {@code read} accept it as well as the full id, which
 *       {@link dev.wasched.testkit.whatsapp.ReceivedMessage#id()} keeps ({@code ...endsWith("_" + KEY)}). There are
 *       <b>no</b> {@code message-out}/{@code message-in} classes. Own messages are marked by
 *       {@code span[aria-label="You:"]} in the row, by {@code span[data-icon="tail-out"]} on the first bubble of a
 *       run (a message more than a minute after the previous one) and by the status span (only own messages have
 *       one). Text: {@code [data-pre-plain-text="[HH:MM, M/D/YYYY] PROFILE: "]} (the sender is the account's
 *       profile name, builder {@code profileName}, not "You") containing {@code span.selectable-text}. Sources:
 *       field probes ("{@code message-in}/{@code message-out} no longer exist", "{@code data-id}: only the message
 *       id, 20 to 32 characters, no {@code true_}/{@code false_} prefix", {@code #main [data-id]} on every message
 *       with {@code data-virtualized}, {@code tail-in}/{@code tail-out} on the first bubble of a run,
 *       {@code aria-label} "Você:"/"Tu:" on own messages, own messages' {@code data-pre-plain-text} names the
 *       profile).</li>
 *   <li><b>Status</b>: {@code span[aria-label]} in the bubble's meta, the label padded with spaces:
 *       {@code " Pending "} → {@code " Sent "} → {@code " Delivered "} → {@code " Read "}, never backwards, live
 *       within one poll interval. It holds an {@code svg} whose {@code title} is {@code wds-ic-pending} (clock),
 *       {@code wds-ic-delivered} (one tick, i.e. <em>sent</em>, despite the name), {@code wds-ic-read} (two ticks,
 *       grey: delivered) and {@code wds-ic-read} again (blue, class {@code status-read}: read). Only the
 *       {@code aria-label} tells delivered from read. No {@code data-icon} on status icons. The chat list shows the
 *       same SVG for the last own message. Sources: field probes (status as textual ARIA " Consegnato " /
 *       " Letto " / " In attesa ", "Lida"/"Enviada"; no {@code data-icon} status icons;
 *       {@code <svg><title>wds-ic-*}; "{@code wds-ic-delivered} is the single tick", "delivered and read come from
 *       the same icon {@code wds-ic-read}, only the colour separates them"; {@code wds-ic-pending} among the icon
 *       titles seen); older bubbles' {@code span[aria-label=" Read "]}.</li>
 *   <li><b>Formatting</b>: the text is rendered, not shown raw: {@code *bold*} → {@code <strong>},
 *       {@code _italic_} → {@code <em>}, {@code ~strike~} → {@code <del>}, {@code `code`} and
 *       {@code ```mono```} → {@code <code>}; markers only count at word edges ({@code 2*3*4} stays) and are
 *       dropped from {@code textContent}. Emoji are {@code <img class="emoji" alt="😀">}: {@code textContent} loses
 *       them, {@code alt} keeps them. So the bubble's {@code textContent} is not the sent text; compare against the
 *       server's record or rebuild the text (markers from the tags, emoji from {@code alt}).</li>
 *   <li><b>Read more</b>: a text longer than the threshold (builder {@code readMoreAfter}, default 1024
 *       characters; no public measurement of WhatsApp's own threshold was found) shows its first part and
 *       {@code …}, followed by {@code div[role="button"]} {@code Read more}; clicking it shows the whole text and
 *       removes the button.</li>
 *   <li><b>Order</b>: a chat's messages are in the order their senders sent them, by the sending client's own
 *       timestamp (the 2026 page posts it as {@code t}); two sends posted at once are not reordered by which one the
 *       server accepted first. A client clock more than an hour off is replaced by the server's. Sources:
 *       whatsapp-web.js {@code Message.timestamp}, documented as when the message was created and read from the
 *       page model's {@code t} ({@code src/structures/Message.js}); Baileys sets {@code messageTimestamp} of an outgoing message from the sending
 *       client's clock when it builds it ({@code generateWAMessageFromContent}).</li>
 *   <li><b>Virtualised list</b>: only the newest rows (builder {@code visibleMessages}, default 30) are in the DOM;
 *       scrolling the message list up brings older rows in (and drops the newest), scrolling down brings them
 *       back; sending brings the newest into view. A transport must not count rows or expect an old message in the
 *       DOM. Sources: field probes ("the conversation is virtualised too", {@code data-virtualized} on every
 *       message; chat list with {@code aria-rowcount="485"} and 67-70 rows rendered).</li>
 * </ul>
 *
 * <h3>Screens (each switchable from the control API)</h3>
 * <ul>
 *   <li><b>Passkey</b> ({@code requirePasskey()}, {@code completePasskey()}, builder {@code passkeyAfterLink}):
 *       instead of the chats, {@code #passkey[role="dialog"][aria-modal="true"]} titled {@code Verify it’s you} with
 *       {@code button} {@code Continue}, which calls {@code navigator.credentials.get({publicKey: ...})}; when it
 *       resolves the chats show, when it fails {@code [role="alert"]} says
 *       {@code Couldn't verify your passkey. Try again.} (A page on {@code 127.0.0.1} has no valid relying party,
 *       so a test stubs {@code navigator.credentials.get} or uses {@code completePasskey()}.) Sends are refused
 *       meanwhile. Source: reports of WhatsApp adding passkeys to device linking (2025-26); the texts are this
 *       simulator's.</li>
 *   <li><b>What's new</b> ({@code showWhatsNewDialog()}, builder {@code whatsNewDialogAfterBoot}):
 *       {@code div[data-animate-modal-popup="true"] > div[role="dialog"]} with an {@code h2} {@code What’s new}, a
 *       {@code button[aria-label="Close"]} and a {@code button} {@code Continue}; its backdrop covers the page, so
 *       clicks elsewhere do not arrive until it is closed. Escape does not close it.</li>
 *   <li><b>Open in another window</b> ({@code openElsewhere()}): {@code #conflict[role="dialog"]} over everything,
 *       text {@code WhatsApp is open in another window. Click “Use here” to use WhatsApp in this window.},
 *       buttons {@code Close} and {@code Use here}; until "Use here" is clicked nothing is sent (bubbles stay
 *       {@code " Pending "}) and acks do not arrive; afterwards queued sends go out. Sources: whatsapp-web.js
 *       option {@code takeoverOnConflict} (clicks "Use here"); automation scripts clicking
 *       {@code button:has-text("Use here")} ("Usa qui" in Italian).</li>
 *   <li><b>Restricted account</b> ({@code setAccountRestricted(boolean)}): in an open chat the {@code footer}
 *       holds {@code [role="status"]} {@code Your account is restricted} (with an explanation and
 *       {@code Learn more}) instead of the compose box; the server refuses sends. The texts are this simulator's
 *       (no public capture was found).</li>
 *   <li><b>Connection</b> ({@code setConnection(ConnectionState)}): above the search box, {@code [role="status"]}
 *       {@code Computer not connected} / {@code Make sure your computer has an active Internet connection.}, or
 *       {@code Connecting…} / {@code Messages will be sent when WhatsApp is connected.}. Meanwhile sends queue:
 *       their bubbles appear with {@code " Pending "} and leave when the state is {@code ONLINE} again; acks do not
 *       arrive; {@code /send?phone=} cannot be answered, so the chat opens (with its text) once the connection is
 *       back. Sources: the long-standing "Computer not connected" banner and its hint (reproduced by WhatsApp Web
 *       clones); WhatsApp's documented behaviour of holding messages with the clock icon until connected.</li>
 * </ul>
 *
 * <h3>In-page modules ({@link dev.wasched.testkit.whatsapp.InPageModules})</h3>
 * Tools that call WhatsApp Web's own code instead of clicking reach its modules through the page's loader. The
 * 2025-26 page models that loader and the modules they use; the ids and the LID mapping differ per build
 * ({@code setInPageModules}), the shapes do not. Nothing here is reachable from the DOM.
 * <ul>
 *   <li><b>Loader.</b> {@code window.__d(id, deps, factory)} defines, {@code window.require(id)} returns a
 *       module's exports and throws {@code Requiring unknown module "<id>"} for an id not (yet) defined,
 *       {@code require('__debug').modulesMap} lists the ids defined so far (each entry has a {@code factory}).
 *       Sources: wa-js {@code src/loader/index.ts} ({@code runMetaLoader}, detection by {@code window.__d} and
 *       {@code window.require}, the module list from {@code __debug.modulesMap}; support for the 2.3000 builds added
 *       2024-02-24); whatsapp-web.js {@code src/Client.js} (calls {@code window.require('WAWeb…')} by name since
 *       2024-07).</li>
 *   <li><b>Registration is progressive.</b> The id factory and message-key modules are defined when the chat list
 *       first shows; the collections, socket model, contact API, registration query, chat finder and, last, the
 *       send action follow at even steps over the build's {@code registrationSpread} (default 1.5 s). A tool must
 *       wait for the registry to settle. Sources: wa-js waits until the module count has not changed for 750 ms
 *       before it reports itself injected, because getters resolved earlier stayed undefined after a cold load
 *       (wa-js#3419, #3481, fixed 2026-07-29); it trusts a "not found" only while the count is unchanged.</li>
 *   <li><b>Ids.</b> {@code standard()}: {@code WAWebCollections}, {@code WAWebSocketModel},
 *       {@code WAWebWidFactory}, {@code WAWebMsgKey}, {@code WAWebApiContact}, {@code WAWebQueryExistsJob},
 *       {@code WAWebFindChatAction}, {@code WAWebMediaOpaqueData}, {@code WAWebPrepRawMedia}, {@code WAWebCmd},
 *       {@code WAWebSendMsgChatAction}: the names whatsapp-web.js requires
 *       ({@code src/util/Injected/Utils.js}, {@code Store.js} up to 2026-03). {@code renamed()} changes every id,
 *       as builds have renamed modules before (whatsapp-web.js#1985: {@code queryExists} became
 *       {@code queryExist}); wa-js finds modules by what they export for that reason
 *       ({@code src/whatsapp/exportModule.ts}).</li>
 *   <li><b>Shapes.</b> Collections: {@code Msg} and {@code Chat}, Backbone-style ({@code on}, {@code off},
 *       {@code once}; {@code get}, {@code getModelsArray}); {@code Msg.processMultipleMessages} is what wa-js
 *       recognises the message collection by. {@code Msg} fires {@code add} for each new message and
 *       {@code change:ack} with {@code (msg, ack)} as acks arrive: 0 pending, 1 sent, 2 delivered, 3 read
 *       (whatsapp-web.js {@code MessageAck}, wa-js {@code enums/ACK.ts}). Socket model: {@code Socket} with
 *       {@code state} ({@code UNPAIRED}, {@code UNPAIRED_IDLE}, {@code OPENING}, {@code CONNECTED},
 *       {@code TIMEOUT}, {@code CONFLICT}; wa-js {@code SOCKET_STATE}), {@code hasSynced}, and the events
 *       {@code change:state} and {@code change:hasSynced} (whatsapp-web.js {@code Client.js} waits on both). Which
 *       state the page's connection screens map to (offline → {@code TIMEOUT}, connecting → {@code OPENING}) is
 *       this simulator's choice: no source pairs them. Id factory: {@code createWid("<user>@<server>")} with
 *       {@code user}, {@code server}, {@code _serialized}, {@code isLid()}, {@code isGroup()}. Message key:
 *       the module is the key class ({@code new MsgKey({fromMe, remote, id})}) with a static {@code newId()}
 *       resolving to a new id (whatsapp-web.js {@code Utils.js}). Contact API: {@code getCurrentLid(wid)}, {@code getPhoneNumber(lid)}
 *       (whatsapp-web.js {@code WAWebApiContact}). Registration query: {@code queryWidExists(wid)} and
 *       {@code queryPhoneExists(phone)}, resolving to {@code {wid}} or {@code null} for a number not on WhatsApp
 *       (whatsapp-web.js treats null as "not registered"; wa-js recognises the module by having both functions);
 *       it asks the server and opens no chat. Chat finder: {@code findOrCreateLatestChat(wid)} resolving to
 *       {@code {chat, created}} (both projects). Send action: {@code addAndSendMsgToChat(chat, msg)} returning
 *       {@code [msgPromise, resultPromise]}, the result's {@code messageSendResult} {@code OK} or
 *       {@code ERROR_NETWORK} (whatsapp-web.js {@code Utils.js}, wa-js {@code enums/SendMsgResult.ts}); the message
 *       shows in the open chat like one typed there. Media: the opaque-data module's {@code createFromData(file,
 *       type)} resolving to the wrapped file (whatsapp-web.js calls it on the module, wa-js on its {@code default}
 *       export and recognises it by that function: {@code src/whatsapp/misc/OpaqueData.ts}); the media module's
 *       {@code prepRawMedia(opaqueData, {asDocument, …})} returning a preparation with {@code waitForPrep()} and
 *       {@code sendToChat(chat, {caption, productMsgOptions})}, whose {@code productMsgOptions} (the message's id
 *       among them) are merged into the message it adds, and which resolves to the send result itself
 *       (wa-js {@code src/whatsapp/misc/MediaPrep.ts}, recognised by exporting {@code MediaPrep};
 *       {@code src/chat/functions/sendFileMessage.ts} waits for the message with its id to be added). Command
 *       module: {@code Cmd.openChatBottom({chat, chatEntryPoint})} opening the chat in the page and resolving to
 *       whether it did (recorded WhatsApp Web code awaits it; older builds and whatsapp-web.js's early versions pass
 *       the chat itself, which the simulator accepts too), and the chat collection's {@code getActive()}
 *       (recorded {@code WAWebChatCollection} code) for the open chat.</li>
 *   <li><b>The LID mapping.</b> A number's LID becomes known to the page when the registration query answers for
 *       it (a stable 15-digit {@code …@lid} per number). {@code withoutLidMapping()} models the builds of the
 *       2025-26 migration whose send path needed a LID the page did not have: the query still answers, the
 *       contact API has no LID, and {@code addAndSendMsgToChat} to a phone-number chat throws
 *       {@code No LID for user} before anything leaves, while typing in the chat (click-to-chat) still sends.
 *       Sources: "No LID for user" thrown on the send and chat-opening paths of the 2.3000.10240… builds
 *       (wa-js#2816, 2025-06-23; wa-js#2839, 2025-07-17) and again in 2026 (whatsapp-web.js, from
 *       {@code toUserLidOrThrow} in {@code findOrCreateLatestChat}); the mapping being learnt from the
 *       registration query (whatsapp-web.js {@code enforceLidAndPnRetrieval}, #3702, 2025-09-06; wa-js
 *       {@code contact/functions/queryWidExists.ts}). That the UI kept sending is an assumption: no public source
 *       confirms or denies it for 2025-26.</li>
 *   <li><b>Incoming messages</b> ({@code receive}). Each linked page is handed a message once, at its next poll
 *       while the connection is up; the message collection fires {@code add} with a model whose {@code id} is
 *       {@code {fromMe: false, remote, id, _serialized: "false_<remote>_<id>"}} (a 32-hex-digit key), {@code body},
 *       {@code type: 'chat'}, {@code t} in seconds, {@code from}, {@code to}, {@code ack: 1}, {@code isNewMsg} and
 *       {@code recvFresh}; an answer carries the key of the message it quotes as {@code quotedStanzaID} (the field
 *       whatsapp-web.js reads for {@code hasQuotedMsg}). With the LID mapping the sender and chat are the sender's
 *       {@code …@lid}, not the phone number: a recorded model in wa-js#3143 (2025-12-14) and WAHA#1849
 *       (2026-01-27, {@code payload.from} "…@lid" on the WEBJS engine); the page learns the number behind the LID
 *       from the server here, which {@code getPhoneNumber(lid)} then answers (that the page knows it for a contact
 *       who writes is this simulator's assumption; wwebjs users report LIDs they cannot map, e.g.
 *       whatsapp-web.js#7503).</li>
 *   <li><b>Received messages in the chat list and the chat</b> (both page generations). A received message counts in
 *       its chat's unread badge until a page opens the chat, which reads it on every linked device
 *       ({@link WhatsAppWebSimulator#unreadFrom}); opening a chat reading its messages and sending read receipts is
 *       reported by open-wa/wa-automate-python#98 and WAHA#498 (2024-08), and WAHA added "mark as unread" for that
 *       reason. Badge: a span whose {@code aria-label} is "N unread message(s)" (localised in the real page:
 *       ferdium-recipes#230/#235, 2022; dagmoller/whatsapp-electron, 2024-01); before 2025 it holds the number
 *       itself, on the 2025-26 page a child span holds it inside the row's first grid cell
 *       (BITS-Rohit/tweakio-sdk, 2025-09 to 2026-04; whatsapp-electron#5, 2026-03). Rows carry no chat id on the
 *       2025-26 page; a saved contact is titled by name, a number not saved by the number (live notes in
 *       GstMirabal/WhatsApp-Chat-Extractor, 2026-08). A received row is {@code div.message-in} with the id on it
 *       (before 2025, the packed {@code false_<chat>_<key>}) or on its wrapper (2025-26: the bare key, recorded
 *       from April 2026 in sanand0/tools {@code whatsappscraper/notes.md}); its text sits in a
 *       {@code data-pre-plain-text="[time, date] Sender: "} element (same notes, stable through 2026) and, on the
 *       2025-26 page, a {@code span[data-testid="selectable-text"]} (the {@code selectable-text} class was dropped,
 *       tweakio-sdk); a quote is a {@code [role="button"][aria-label="Quoted message"]} with the quoted text in
 *       {@code span.quoted-mention} and no id of the quoted message (sanand0/tools fixtures, 2026-05). A message
 *       arriving in the chat a page has open shows there; whether the page reads it at once depends on the window
 *       having focus, which no public source settles (whalesong#47 only says the page tracks focus), so it is a
 *       variant: read at once by default, or left with a badge ({@link WhatsAppWebSimulator#setOpenChatReadsArrivals}).
 *       Not modelled:
 *       chats marked unread by hand (a badge without a number), other languages, and a chat list or message list
 *       too long to be drawn at once.</li>
 * </ul>
 */
package dev.wasched.testkit.whatsapp;
