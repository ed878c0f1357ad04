/**
 * The WhatsApp Web transport: {@link dev.wasched.whatsapp.PlaywrightTransport} drives WhatsApp Web in a Chromium
 * through Playwright, one browser per WhatsApp account, configured by
 * {@link dev.wasched.whatsapp.PlaywrightTransportConfig}. {@link dev.wasched.whatsapp.QrRendering} turns login QR
 * payloads into terminal text or PNG.
 *
 * <h2>Selector profiles</h2>
 *
 * <p>Every DOM fact the transport relies on is in a {@link dev.wasched.whatsapp.SelectorProfile}: per key an ordered
 * list of candidates, of which the first that matches on the page wins. WhatsApp Web is rolled out to cohorts of
 * users and changes between releases, so one value per key cannot serve every page; the shipped pack
 * ({@code selectors-v2.json}) lists the older forms and the ones seen in 2025-26 side by side. Packs are versioned
 * JSON documents and can be loaded from the classpath, a file, or a URL pinned by SHA-256; configuration can replace
 * a key's candidates or put a new one in front of them. {@link dev.wasched.whatsapp.SelectorMatch} says which
 * candidate of a key matched, for health and probe output.
 *
 * <p>Facts that are not "a selector" are read by typed extractors in the page: the ack state of an outgoing message
 * (from {@code data-icon}, {@code data-testid}, an SVG {@code <title>} or an {@code aria-label}, by the status names
 * the profile lists per state), a message row's id (on the row, its nearest ancestor or a descendant), the pairing
 * code (however it is shown, returned as {@code ABCD-EFGH}), what a popup's text means (by the profile's wordings
 * per meaning, compared without regard to white space, case and end punctuation), and the page's build.
 *
 * <h2>Two layers</h2>
 *
 * <p>Per {@link dev.wasched.whatsapp.PageCapability} the transport calls WhatsApp Web's own modules in the page, or
 * uses its user interface ({@link dev.wasched.whatsapp.PageLayer}). The modules are found by the shape of what they
 * export once the page's module registry (the Meta-style loader behind {@code window.require}, whose
 * {@code require('__debug').modulesMap} lists what is defined) has stopped growing, as wppconnect-team/wa-js waits
 * for it; the roles and their shapes are those whatsapp-web.js and wa-js call ({@code addAndSendMsgToChat},
 * {@code findOrCreateLatestChat}, {@code queryWidExists}, {@code getCurrentLid}, the {@code Msg} / {@code Chat}
 * collections with their {@code change:ack} events, the socket model's {@code state}, the message key class with
 * {@code newId}). Module ids are not relied on: they differ between builds. The "No LID for user" failure of
 * in-page sends during the 2025-26 LID migration is known from whatsapp-web.js's issue threads; the transport asks
 * for the LID first and sends through the user interface when the page has none.
 *
 * <h2>What the 2025-26 candidates rest on</h2>
 *
 * <p>Public sources, read for facts only:
 * <ul>
 *   <li>Status ticks drawn as SVG with a {@code <title>}: {@code wds-ic-delivered} is the single tick (sent, not yet
 *       delivered) despite its name, and {@code wds-ic-read} is the double tick both when delivered and when read;
 *       only its colour tells them apart (measured {@code rgba(0,0,0,0.6)} grey against {@code rgb(0,123,252)} blue;
 *       in the dark theme the grey is a translucent white, so "blue" means the blue channel dominates). A field
 *       report of a Selenium sender (2026, DOM probes against the live page) and a desktop automation project that
 *       reads the computed fill for this reason. Hence {@code iconSent} lists {@code wds-ic-delivered},
 *       {@code iconDelivered} lists {@code wds-ic-read}, and {@code iconReadWhenBlue} upgrades it to read when blue.
 *       Older names: {@code span[data-icon]} {@code msg-time}, {@code msg-check}, {@code msg-dblcheck},
 *       {@code msg-dblcheck-ack} (many selenium/puppeteer bots; the same names as {@code data-testid}).</li>
 *   <li>Send button: {@code data-icon="wds-ic-send-filled"} (2025-26) besides {@code send};
 *       {@code button[aria-label="Send"]} in browser extensions that click it (English UI only).</li>
 *   <li>Attach: a "plus" icon ({@code plus}, {@code plus-rounded} in a selector module dated December 2025) instead
 *       of {@code clip}; the file inputs {@code input[accept="*"]} and {@code input[accept="image/*,..."]} are found
 *       anywhere on the page, not only inside a {@code ul[role=menu]}.</li>
 *   <li>Login: the link reads "Log in with phone number" (formerly "Link with phone number"); the phone input's
 *       label is "Type your phone number to log in to WhatsApp" (Playwright pairing scripts, 2026). The pairing code
 *       may be an attribute of comma-separated characters, a dashed text or one element per character.</li>
 *   <li>Chat list rows are {@code role="row"} (formerly {@code listitem}); search is an {@code <input>} in
 *       {@code #side} (formerly a {@code contenteditable} with {@code data-tab="3"}).</li>
 *   <li>Message rows carry {@code data-id} on a wrapper with the {@code .message-out} element inside (formerly on
 *       the same element).</li>
 *   <li>Invalid-number popup wordings: "Phone number shared via url is invalid.", "... via link is invalid." and
 *       "... isn't on WhatsApp" (number-checker bots and browser extensions).</li>
 *   <li>Build: {@code window.Debug.VERSION}, which pedroslopez/whatsapp-web.js waits for and wppconnect-team/wa-js
 *       compares against; else {@code VERSION_STR} / {@code VERSION_BASE} of WhatsApp's own
 *       {@code WAWebBuildConstants} module (seen in WhatsApp Web's published module sources).</li>
 * </ul>
 */
package dev.wasched.whatsapp;
