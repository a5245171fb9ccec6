package io.stratusmail.lmtp.session;

import io.stratusmail.lmtp.delivery.Destination;
import io.stratusmail.lmtp.protocol.ChunkedMessage;
import io.stratusmail.lmtp.protocol.LmtpResponse;
import io.stratusmail.lmtp.protocol.MailAddress;
import io.stratusmail.mailbox.user.Username;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A mail transaction being built (RFC 5321 section 3.3): from MAIL to the end of DATA or BDAT LAST,
 * cleared by RSET, LHLO and STARTTLS. Confined to the channel's event loop; {@link #release()} frees the
 * BDAT chunks held when it ends any other way.
 */
final class Transaction {

    final String id;
    final Optional<MailAddress> sender;
    /** MAIL carried SMTPUTF8 (RFC 6531): UTF-8 addresses are allowed. */
    final boolean smtputf8;
    /** MAIL carried {@code BODY=8BITMIME} (RFC 6152). */
    boolean eightBitMime;
    /** RCPT addresses as accepted, in RCPT order, duplicates included. */
    private final List<Username> recipients = new ArrayList<>();
    /** Where the mail of each entry of {@link #recipients} goes (itself, an alias's or a subaddress's user). */
    private final List<Destination> destinations = new ArrayList<>();
    /** The BDAT chunks so far (RFC 3030); null until the first BDAT. */
    ChunkedMessage chunks;
    /** The message size announced with MAIL ({@code SIZE=}, RFC 1870), 0 when none; for the RCPT quota check. */
    long declaredSize;
    /** Octets announced by the BDAT commands so far, kept or discarded. */
    long chunkOctets;
    /** Why a BDAT of this transaction failed; later chunks are discarded with the same reply. */
    LmtpResponse chunkFailure;

    Transaction(String id, Optional<MailAddress> sender) {
        this(id, sender, false);
    }

    Transaction(String id, Optional<MailAddress> sender, boolean smtputf8) {
        this.id = id;
        this.sender = sender;
        this.smtputf8 = smtputf8;
    }

    /** Whether BDAT was used, so DATA may no longer be (RFC 3030 section 2). */
    boolean chunked() {
        return chunks != null;
    }

    /** Frees the BDAT chunks held, if any. Safe to call more than once. */
    void release() {
        if (chunks != null) {
            chunks.release();
        }
    }

    void addRecipient(Username address, Destination destination) {
        recipients.add(address);
        destinations.add(destination);
    }

    /** Where the mail of each accepted recipient goes, parallel to {@link #recipients()}. */
    List<Destination> destinations() {
        return List.copyOf(destinations);
    }

    /** Accepted recipients in RCPT order, duplicates included. */
    List<Username> recipients() {
        return List.copyOf(recipients);
    }

    int recipientCount() {
        return recipients.size();
    }

    /** Whether the MAIL parameters allow 8-bit octets in the header section: SMTPUTF8 or BODY=8BITMIME. */
    boolean allowsEightBitHeader() {
        return smtputf8 || eightBitMime;
    }

    String senderText() {
        return sender.map(MailAddress::toString).orElse("");
    }
}
