package dev.wasched.internal.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.Recipient;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.message.MessageContent;
import dev.wasched.report.CsvField;
import dev.wasched.spi.store.DeliveryRepository;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryCsvTest {
    @Test
    void quotesOnlyWhatRfc4180Needs() {
        assertThat(CsvField.of("plain")).isEqualTo("plain");
        assertThat(CsvField.of(null)).isEmpty();
        assertThat(CsvField.of("a,b")).isEqualTo("\"a,b\"");
        assertThat(CsvField.of("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(CsvField.of("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(CsvField.of("cr\r")).isEqualTo("\"cr\r\"");
        assertThat(CsvField.of(Instant.parse("2026-05-04T10:15:30.123Z"))).isEqualTo("2026-05-04T10:15:30.123Z");
    }

    @Test
    void guardsEveryValueASpreadsheetWouldTakeForAFormula() {
        assertThat(CsvField.of("=HYPERLINK(\"http://x\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\")\"");
        assertThat(CsvField.of("+4915112345678")).isEqualTo("'+4915112345678");
        assertThat(CsvField.of("-1+2")).isEqualTo("'-1+2");
        assertThat(CsvField.of("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(CsvField.of("\tcmd")).isEqualTo("'\tcmd");
        assertThat(CsvField.of("a=b")).isEqualTo("a=b");
    }

    @Test
    void writesAHeaderAndOneCrlfRowPerDelivery() throws Exception {
        InMemoryStore store = new InMemoryStore();
        Instant t = Instant.parse("2026-05-04T10:00:00Z");
        Delivery group = Delivery.pending("0001", "s1", t, Recipient.group("=Team, \"A\"", ZoneId.of("UTC")), "shop",
                MessageContent.text("secret text"), t);
        Delivery dead = Delivery.deadOnArrival("0002", "s1", t, Recipient.contact("c1", "+4915112345678",
                ZoneId.of("UTC")), "shop", "missing variable 'name'", t);
        store.deliveries().insertAll(List.of(group, dead));
        StringBuilder out = new StringBuilder();

        long rows = DeliveryCsv.export(store.deliveries(), DeliveryQuery.all(), out);

        assertThat(rows).isEqualTo(2);
        assertThat(out.toString()).isEqualTo(String.join(",", DeliveryCsv.header()) + "\r\n"
                + "0002,s1,2026-05-04T10:00:00Z,shop,CONTACT,c1,'+4915112345678,,DEAD,0,2026-05-04T10:00:00Z,,,,,"
                + "missing variable 'name',\r\n"
                + "0001,s1,2026-05-04T10:00:00Z,shop,GROUP,,,\"'=Team, \"\"A\"\"\",PENDING,0,2026-05-04T10:00:00Z,,,,,,"
                + "\r\n");
        assertThat(out.toString()).doesNotContain("secret text");
    }

    @Test
    void twentyThousandDeliveriesArriveOnceEachReadAPageAtATime() throws Exception {
        InMemoryStore store = new InMemoryStore();
        Instant t = Instant.parse("2026-05-04T10:00:00Z");
        List<Delivery> all = new java.util.ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            all.add(Delivery.pending(String.format("0190cccc-0000-7000-8000-%012d", i), "s1", t,
                    Recipient.number(String.format("+4915%09d", i), ZoneId.of("UTC")), "shop", MessageContent.text("x"), t));
        }
        store.deliveries().insertAll(all);
        List<Integer> pageSizes = new java.util.ArrayList<>();
        DeliveryRepository counted = (DeliveryRepository) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[]{DeliveryRepository.class}, (proxy, method, args) -> {
                    Object result = method.invoke(store.deliveries(), args);
                    if (method.getName().equals("history")) {
                        pageSizes.add(((dev.wasched.Page<?>) result).items().size());
                        assertThat(((dev.wasched.PageRequest) args[1]).limit()).isEqualTo(DeliveryCsv.PAGE);
                    }
                    return result;
                });
        RowsPerFlush out = new RowsPerFlush();

        long rows = DeliveryCsv.export(counted, DeliveryQuery.all(), out);

        assertThat(rows).isEqualTo(20_000);
        assertThat(pageSizes).hasSize(20_000 / DeliveryCsv.PAGE).allSatisfy(n -> assertThat(n).isEqualTo(DeliveryCsv.PAGE));
        assertThat(out.maxRowsBetweenFlushes).as("written out a page at a time").isLessThanOrEqualTo(DeliveryCsv.PAGE + 1);
        String[] lines = out.text.toString().split("\r\n");
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 1; i < lines.length; i++) {
            assertThat(ids.add(lines[i].substring(0, lines[i].indexOf(',')))).isTrue();
        }
        assertThat(ids).hasSize(20_000).containsAll(all.stream().map(Delivery::id).toList());
    }

    /** Keeps what was written and the most rows written between two flushes. */
    private static final class RowsPerFlush extends java.io.Writer {
        final StringBuilder text = new StringBuilder();
        int sinceFlush;
        int maxRowsBetweenFlushes;

        @Override
        public void write(char[] cbuf, int off, int len) {
            text.append(cbuf, off, len);
            for (int i = off; i < off + len; i++) {
                sinceFlush += cbuf[i] == '\n' ? 1 : 0;
            }
        }

        @Override
        public void flush() {
            maxRowsBetweenFlushes = Math.max(maxRowsBetweenFlushes, sinceFlush);
            sinceFlush = 0;
        }

        @Override
        public void close() {
        }
    }
}
