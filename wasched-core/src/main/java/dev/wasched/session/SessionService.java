package dev.wasched.session;

import dev.wasched.contact.PhoneNumber;
import java.util.List;

/** Each WhatsApp account's state, and the actions on its login. */
public interface SessionService {
    /** All accounts this instance has a transport for. */
    List<AccountStatus> accounts();

    /** One account; throws {@link dev.wasched.NotFoundException} for an account without a transport here. */
    AccountStatus status(String account);

    /** Asks the account's transport for a pairing code to type on the phone (instead of scanning a QR code). */
    String requestPairingCode(String account, PhoneNumber phone);

    /** Logs the account out of WhatsApp and deletes its stored session. */
    void logout(String account);
}
