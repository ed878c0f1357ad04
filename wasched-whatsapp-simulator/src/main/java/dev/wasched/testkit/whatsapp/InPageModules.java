package dev.wasched.testkit.whatsapp;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The module registry a {@link PageGeneration#WEB_2026} page exposes to scripts running in it, as WhatsApp Web's own
 * modules are reached by the tools that call them instead of clicking (see the package documentation, "In-page
 * modules", for each module's shape and the public source of every fact). What differs between builds is here:
 * the module ids, whether the phone-number → LID mapping is available to the send path, and how long after the
 * chat list appears the modules finish registering.
 *
 * <p>Pages read it when they load: {@link WhatsAppWebSimulator#setInPageModules(InPageModules)} applies to the next
 * page load.
 *
 * @param ids                 module id per role (the keys of {@link #standard()}'s map), such as
 *                            {@code sendMsgChatAction → WAWebSendMsgChatAction}
 * @param lidMapping          whether the page knows the LID of the numbers it has looked up; without it a send to a
 *                            phone-number chat fails with "No LID for user", as it did for in-page sends during the
 *                            2025–26 LID migration, while the page's own UI still sends
 * @param registrationSpread  from the chat list showing until the last module (the send action) is registered;
 *                            the others register at even steps before it
 */
public record InPageModules(Map<String, String> ids, boolean lidMapping, Duration registrationSpread) {
    /** The roles a page registers a module for. */
    public static final java.util.List<String> ROLES = java.util.List.of("collections", "socketModel", "widFactory",
            "msgKey", "apiContact", "queryExists", "findChatAction", "opaqueData", "prepRawMedia", "cmd",
            "sendMsgChatAction");
    private static final Pattern ID = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

    /**
     * Validates the ids and the spread.
     *
     * @throws IllegalArgumentException if a role is missing or unknown, an id is not 1–64 characters of
     *     {@code [A-Za-z0-9_]} starting with a letter, two roles share an id, or the spread is negative
     */
    public InPageModules {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(registrationSpread, "registrationSpread");
        if (!ids.keySet().equals(new java.util.HashSet<>(ROLES))) {
            throw new IllegalArgumentException("ids must name exactly the roles " + ROLES + ", got " + ids.keySet());
        }
        for (Map.Entry<String, String> e : ids.entrySet()) {
            if (e.getValue() == null || !ID.matcher(e.getValue()).matches()) {
                throw new IllegalArgumentException("module id of " + e.getKey() + " is not a plain identifier: "
                        + e.getValue());
            }
        }
        if (new java.util.HashSet<>(ids.values()).size() != ids.size()) {
            throw new IllegalArgumentException("two roles share a module id: " + ids);
        }
        if (registrationSpread.isNegative()) {
            throw new IllegalArgumentException("registrationSpread must not be negative: " + registrationSpread);
        }
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String role : ROLES) {
            ordered.put(role, ids.get(role));
        }
        ids = java.util.Collections.unmodifiableMap(ordered);
    }

    /** The ids of the 2.3000 builds (the names whatsapp-web.js requires), LID mapping available, a 1.5 s spread. */
    public static InPageModules standard() {
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put("collections", "WAWebCollections");
        ids.put("socketModel", "WAWebSocketModel");
        ids.put("widFactory", "WAWebWidFactory");
        ids.put("msgKey", "WAWebMsgKey");
        ids.put("apiContact", "WAWebApiContact");
        ids.put("queryExists", "WAWebQueryExistsJob");
        ids.put("findChatAction", "WAWebFindChatAction");
        ids.put("opaqueData", "WAWebMediaOpaqueData");
        ids.put("prepRawMedia", "WAWebPrepRawMedia");
        ids.put("cmd", "WAWebCmd");
        ids.put("sendMsgChatAction", "WAWebSendMsgChatAction");
        return new InPageModules(ids, true, Duration.ofMillis(1500));
    }

    /**
     * A build whose module ids are all different from {@link #standard()}'s (the shapes are the same): a tool that
     * requires modules by name finds none of them, one that searches by shape finds all.
     */
    public static InPageModules renamed() {
        Map<String, String> ids = new LinkedHashMap<>();
        standard().ids().forEach((role, id) -> ids.put(role, id.replace("WAWeb", "WAWebX") + "Impl"));
        return new InPageModules(ids, true, Duration.ofMillis(1500));
    }

    /** The same modules without the phone-number → LID mapping: in-page sends to a number fail. */
    public InPageModules withoutLidMapping() {
        return new InPageModules(ids, false, registrationSpread);
    }

    /** The same modules, the last one registered {@code spread} after the chat list shows. */
    public InPageModules withRegistrationSpread(Duration spread) {
        return new InPageModules(ids, lidMapping, spread);
    }
}
