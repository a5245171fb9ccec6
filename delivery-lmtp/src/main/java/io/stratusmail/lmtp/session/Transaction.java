package io.stratusmail.lmtp.session;

import io.stratusmail.lmtp.protocol.MailAddress;
import io.stratusmail.mailbox.user.Username;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A mail transaction being built (RFC 5321 section 3.3): from MAIL to the end of DATA, cleared by RSET
 * and LHLO. Confined to the channel's event loop.
 */
final class Transaction {

    final String id;
    final Optional<MailAddress> sender;
    private final List<Username> recipients = new ArrayList<>();

    Transaction(String id, Optional<MailAddress> sender) {
        this.id = id;
        this.sender = sender;
    }

    void addRecipient(Username recipient) {
        recipients.add(recipient);
    }

    /** Accepted recipients in RCPT order, duplicates included. */
    List<Username> recipients() {
        return List.copyOf(recipients);
    }

    int recipientCount() {
        return recipients.size();
    }

    String senderText() {
        return sender.map(MailAddress::toString).orElse("");
    }
}
