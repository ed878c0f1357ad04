package dev.wasched.internal.service;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.Recipient;
import dev.wasched.report.CsvField;
import dev.wasched.spi.store.DeliveryRepository;
import java.io.Flushable;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * Deliveries as CSV (RFC 4180: comma-separated, CRLF line ends, a field quoted when it holds a comma, a quote or a
 * line break, quotes doubled). A value that a spreadsheet would take for a formula (it starts with {@code =},
 * {@code +}, {@code -}, {@code @}, a tab or a carriage return) gets a leading apostrophe, so opening the file never
 * runs anything a recipient's name or an error text smuggled in; phone numbers ({@code +49…}) therefore read
 * {@code '+49…}.
 */
public final class DeliveryCsv {
    /** Rows read per page: what an export holds in memory at a time. */
    public static final int PAGE = 500;

    private record Column(String name, Function<Delivery, Object> value) {
    }

    private static final List<Column> COLUMNS = List.of(
            new Column("id", Delivery::id),
            new Column("schedule_id", Delivery::scheduleId),
            new Column("fire_at", Delivery::fireAt),
            new Column("account", Delivery::account),
            new Column("recipient_kind", d -> d.recipient().kind()),
            new Column("contact_id", d -> d.recipient().contactId()),
            new Column("phone", d -> d.recipient().isPhone() ? d.recipient().address() : null),
            new Column("group", d -> d.recipient().kind() == Recipient.Kind.GROUP ? d.recipient().address() : null),
            new Column("status", Delivery::status),
            new Column("attempts", Delivery::attempts),
            new Column("created_at", Delivery::createdAt),
            new Column("sent_at", Delivery::sentAt),
            new Column("delivered_at", Delivery::deliveredAt),
            new Column("read_at", Delivery::readAt),
            new Column("replied_at", Delivery::repliedAt),
            // Redacted when the delivery was built (ErrorText): no URL, number or text from a transport's error.
            new Column("last_error", Delivery::lastError),
            new Column("message_id", Delivery::transportMessageId));

    private DeliveryCsv() {
    }

    /** The header row's names, in column order. */
    public static List<String> header() {
        return COLUMNS.stream().map(Column::name).toList();
    }

    /**
     * Writes the header and every delivery the query matches, newest first, reading {@link #PAGE} at a time by the
     * history's cursor; flushes {@code out} after each page when it can.
     *
     * @return the rows written, the header not counted
     */
    public static long export(DeliveryRepository repo, DeliveryQuery query, Appendable out) throws IOException {
        row(out, header());
        long rows = 0;
        String cursor = null;
        do {
            Page<Delivery> page = repo.history(query, PageRequest.after(cursor, PAGE));
            for (Delivery d : page.items()) {
                row(out, COLUMNS.stream().map(c -> c.value().apply(d)).toList());
                rows++;
            }
            if (out instanceof Flushable f) {
                f.flush();
            }
            cursor = page.nextCursor().orElse(null);
        } while (cursor != null);
        return rows;
    }

    private static void row(Appendable out, List<?> values) throws IOException {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(CsvField.of(values.get(i)));
        }
        out.append("\r\n");
    }
}
