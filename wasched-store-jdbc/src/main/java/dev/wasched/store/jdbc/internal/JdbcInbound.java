package dev.wasched.store.jdbc.internal;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.inbound.InboundMessage;
import dev.wasched.spi.store.InboundRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Received messages in {@code wasched_inbound}; the unique key (account, message_id) keeps one row per message. */
public final class JdbcInbound implements InboundRepository {
    private static final String INSERT = "INSERT INTO wasched_inbound (id, account, message_id, sender, chat, contact_id,"
            + " text, media_kind, quoted_message_id, sent_at, received_at, replied_delivery_id)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    static final String FIND = "SELECT * FROM wasched_inbound WHERE account = ? AND message_id = ?";

    private final Db db;

    public JdbcInbound(Db db) {
        this.db = db;
    }

    static InboundMessage map(ResultSet rs) throws SQLException {
        return new InboundMessage(rs.getString("id"), rs.getString("account"), rs.getString("message_id"),
                rs.getString("sender"), rs.getString("chat"), rs.getString("contact_id"), rs.getString("text"),
                rs.getString("media_kind"), rs.getString("quoted_message_id"), Sql.instant(rs, "sent_at"),
                Sql.instant(rs, "received_at"), rs.getString("replied_delivery_id"));
    }

    @Override
    public boolean insert(InboundMessage m) {
        return db.call("insert received message", c -> {
            try {
                return Sql.update(c, INSERT, m.id(), m.account(), m.messageId(), m.sender(), m.chat(), m.contactId(),
                        m.text(), m.mediaKind(), m.quotedMessageId(), m.sentAt(), m.receivedAt(),
                        m.repliedDeliveryId()) == 1;
            } catch (SQLException e) {
                if (db.isUniqueViolation(e)) {
                    return false; // the account has this message already
                }
                throw e;
            }
        });
    }

    @Override
    public Optional<InboundMessage> find(String account, String messageId) {
        return db.call("find received message", c -> Sql.queryOne(c, FIND, JdbcInbound::map, account, messageId));
    }

    @Override
    public Page<InboundMessage> list(String account, String contactId, PageRequest page) {
        List<Object> params = new ArrayList<>();
        if (account != null) {
            params.add(account);
        }
        if (contactId != null) {
            params.add(contactId);
        }
        if (page.cursor() != null) {
            params.add(page.cursor());
        }
        params.add(page.limit() + 1);
        String sql = listSql(account != null, contactId != null, page.cursor() != null);
        return db.call("list received messages", c ->
                Page.of(Sql.query(c, sql, JdbcInbound::map, params), page.limit(), InboundMessage::id));
    }

    /** Newest first, narrowed by account, contact and cursor (parameters in that order, then the limit). */
    static String listSql(boolean byAccount, boolean byContact, boolean afterCursor) {
        List<String> where = new ArrayList<>();
        if (byAccount) {
            where.add("account = ?");
        }
        if (byContact) {
            where.add("contact_id = ?");
        }
        if (afterCursor) {
            where.add("id < ?");
        }
        return "SELECT * FROM wasched_inbound" + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY id DESC LIMIT ?";
    }
}
