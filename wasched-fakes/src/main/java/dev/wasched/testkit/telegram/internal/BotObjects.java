package dev.wasched.testkit.telegram.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasched.testkit.telegram.InlineButton;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds Bot API objects (User, Chat, Message, PhotoSize, keyboards) as JSON, with the field
 * names of the Bot API so that TelegramBots' Jackson model deserializes them. Internal.
 */
public final class BotObjects {
    /** Chat ids at or below this are supergroups/channels ({@code -100...}). */
    private static final long SUPERGROUP_ID_LIMIT = -1_000_000_000_000L;

    private final ObjectMapper mapper;

    public BotObjects(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public ObjectNode object() {
        return mapper.createObjectNode();
    }

    public ArrayNode array() {
        return mapper.createArrayNode();
    }

    /** A User object. */
    public ObjectNode user(long id, boolean isBot, String firstName, String username) {
        ObjectNode user = object();
        user.put("id", id);
        user.put("is_bot", isBot);
        user.put("first_name", firstName);
        if (username != null) {
            user.put("username", username);
        }
        return user;
    }

    /**
     * A Chat object: positive ids are private chats, ids from -1 to -999999999999 groups,
     * lower ids ({@code -100...}) supergroups, as in the real API.
     */
    public ObjectNode chat(long chatId, String userFirstName) {
        ObjectNode chat = object();
        chat.put("id", chatId);
        if (chatId > 0) {
            chat.put("type", "private");
            chat.put("first_name", userFirstName);
        } else if (chatId <= SUPERGROUP_ID_LIMIT) {
            chat.put("type", "supergroup");
            chat.put("title", "Test supergroup " + chatId);
        } else {
            chat.put("type", "group");
            chat.put("title", "Test group " + chatId);
        }
        return chat;
    }

    /** A Message skeleton: message_id, from, chat, date. */
    public ObjectNode message(int messageId, ObjectNode from, ObjectNode chat, long epochSecond) {
        ObjectNode message = object();
        message.put("message_id", messageId);
        message.set("from", from);
        message.set("chat", chat);
        message.put("date", epochSecond);
        return message;
    }

    /** Adds a {@code bot_command} entity when the text starts with '/', like the real API. */
    public void addCommandEntity(ObjectNode message, String text) {
        if (text == null || !text.startsWith("/") || text.length() < 2) {
            return;
        }
        int end = 1;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
            end++;
        }
        ObjectNode entity = object();
        entity.put("type", "bot_command");
        entity.put("offset", 0);
        entity.put("length", end);
        message.putArray("entities").add(entity);
    }

    /** PhotoSize objects for a sent photo: a thumbnail and a larger size. */
    public ArrayNode photoSizes(String fileIdBase, int fileSize) {
        ArrayNode sizes = array();
        int[][] dims = {{90, 90}, {320, 320}};
        for (int i = 0; i < dims.length; i++) {
            ObjectNode size = object();
            size.put("file_id", fileIdBase + "-" + i);
            size.put("file_unique_id", fileIdBase.replace("-", "") + "u" + i);
            size.put("width", dims[i][0]);
            size.put("height", dims[i][1]);
            size.put("file_size", i == dims.length - 1 ? fileSize : Math.max(1, fileSize / 8));
            sizes.add(size);
        }
        return sizes;
    }

    /** A parsed {@code reply_markup}: the inline keyboard (empty when none) and its JSON to echo. */
    public record Markup(List<List<InlineButton>> keyboard, ObjectNode inlineMarkupJson) {
        public static final Markup NONE = new Markup(List.of(), null);

        public boolean sameAs(Markup other) {
            return keyboard.equals(other.keyboard);
        }
    }

    /**
     * Parses a {@code reply_markup}. Only inline keyboards are kept (reply keyboards and
     * {@code remove_keyboard}/{@code force_reply} are accepted and not echoed, as in the real API).
     */
    public Markup markup(JsonNode replyMarkup) {
        if (replyMarkup == null || replyMarkup.isNull()) {
            return Markup.NONE;
        }
        if (!replyMarkup.isObject()) {
            throw BotApiError.badRequest("can't parse reply keyboard markup JSON object");
        }
        JsonNode rows = replyMarkup.get("inline_keyboard");
        if (rows == null || rows.isNull()) {
            return Markup.NONE;
        }
        if (!rows.isArray()) {
            throw BotApiError.badRequest("field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array");
        }
        List<List<InlineButton>> keyboard = new ArrayList<>();
        ObjectNode echo = object();
        ArrayNode echoRows = echo.putArray("inline_keyboard");
        for (JsonNode row : rows) {
            if (!row.isArray()) {
                throw BotApiError.badRequest("field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array of Arrays");
            }
            List<InlineButton> buttons = new ArrayList<>();
            ArrayNode echoRow = echoRows.addArray();
            for (JsonNode button : row) {
                String text = textOrNull(button.get("text"));
                if (text == null) {
                    throw BotApiError.badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
                }
                String data = textOrNull(button.get("callback_data"));
                String url = textOrNull(button.get("url"));
                buttons.add(new InlineButton(text, data, url));
                ObjectNode echoButton = echoRow.addObject();
                echoButton.put("text", text);
                if (data != null) {
                    echoButton.put("callback_data", data);
                }
                if (url != null) {
                    echoButton.put("url", url);
                }
            }
            keyboard.add(buttons);
        }
        return new Markup(keyboard, echo);
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
