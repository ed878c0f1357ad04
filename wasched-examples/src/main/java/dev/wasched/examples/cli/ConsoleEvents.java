package dev.wasched.examples.cli;

import dev.wasched.event.WaschedEvent;
import dev.wasched.event.WaschedListener;
import dev.wasched.session.AccountState;
import dev.wasched.whatsapp.QrRendering;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an operator watching the terminal needs: the login QR code (drawn in the terminal and written as a PNG),
 * pairing codes, account state changes, and each message sent or given up. Never message bodies.
 */
final class ConsoleEvents implements WaschedListener {
    private final PrintWriter out;
    private final boolean drawQr;
    private final Path qrDirectory;
    private final Set<String> accountsShownQr = ConcurrentHashMap.newKeySet();

    /**
     * @param drawQr      draw every new QR code (false: only the first one per account, then just say it rotated)
     * @param qrDirectory where {@code qr-ACCOUNT.png} is written, or null for none
     */
    ConsoleEvents(PrintWriter out, boolean drawQr, Path qrDirectory) {
        this.out = out;
        this.drawQr = drawQr;
        this.qrDirectory = qrDirectory;
    }

    @Override
    public void onEvent(WaschedEvent event) {
        if (event instanceof WaschedEvent.LoginQrCode qr) {
            showQr(qr);
        } else if (event instanceof WaschedEvent.LoginPairingCode code) {
            line("account %s: type the pairing code %s on the phone (WhatsApp > Linked devices > Link with phone number)",
                    code.account(), code.code());
        } else if (event instanceof WaschedEvent.AccountStateChanged change) {
            if (change.to() == AccountState.READY) {
                deleteQr(change.account()); // linked: the code has done its job
            }
            line("account %s: %s%s", change.account(), change.to(), change.detail() == null ? "" : " (" + change.detail() + ")");
        } else if (event instanceof WaschedEvent.DeliverySent sent) {
            line("sent to %s", sent.delivery().recipient().address());
        } else if (event instanceof WaschedEvent.DeliveryDead dead) {
            line("FAILED for good: %s: %s (see: wasched dlq list)", dead.delivery().recipient().address(), dead.reason());
        } else if (event instanceof WaschedEvent.DeliveryUncertain uncertain) {
            line("UNCERTAIN: %s may or may not have received delivery %s (see: wasched dlq list)",
                    uncertain.delivery().recipient().address(), uncertain.delivery().id());
        } else if (event instanceof WaschedEvent.MessageReceived received) {
            var m = received.message();
            String text = m.text().length() > 200 ? m.text().substring(0, 200) + "…" : m.text();
            line("account %s: message from %s%s: %s", m.account(), m.sender(),
                    m.mediaKind() == null ? "" : " (" + m.mediaKind() + ")", text.replace('\n', ' '));
        } else if (event instanceof WaschedEvent.SessionQuarantined q) {
            line("account %s: the stored session was unusable and set aside (%s); log in again", q.account(), q.reason());
        }
    }

    private void showQr(WaschedEvent.LoginQrCode qr) {
        boolean first = accountsShownQr.add(qr.account());
        if (first || drawQr) {
            line("account %s: scan this QR code with WhatsApp (Linked devices > Link a device):", qr.account());
            synchronized (out) {
                out.print(QrRendering.toTerminal(qr.payload()));
                out.flush();
            }
        } else {
            line("account %s: the QR code changed", qr.account());
        }
        if (qrDirectory != null) {
            Path png = qrPng(qr.account());
            try {
                // 0600 and replaced in one step: whoever can read the code can link a device to the account
                PrivateFiles.replace(png, QrRendering.toPng(qr.payload()));
                if (first) {
                    line("account %s: the QR code is also in %s", qr.account(), png);
                }
            } catch (IOException e) {
                line("account %s: cannot write %s: %s", qr.account(), png, e.getMessage());
            }
        }
    }

    private Path qrPng(String account) {
        return qrDirectory.resolve("qr-" + account + ".png");
    }

    /** Removes the account's QR code file, if there is one. */
    void deleteQr(String account) {
        if (qrDirectory == null) {
            return;
        }
        Path png = qrPng(account);
        try {
            Files.deleteIfExists(png);
        } catch (IOException e) {
            line("account %s: cannot delete %s: %s", account, png, e.getMessage());
        }
    }

    /** Removes every QR code file this console wrote (on the way out). */
    void deleteQrCodes() {
        accountsShownQr.forEach(this::deleteQr);
    }

    void line(String format, Object... args) {
        synchronized (out) {
            out.printf(format + "%n", args);
            out.flush();
        }
    }
}
