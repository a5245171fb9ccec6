package io.stratusmail.lmtp.delivery;

import io.stratusmail.mailbox.user.Username;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One mail transaction as accepted before DATA (RFC 5321 section 3.3).
 *
 * @param id         the transaction's {@link DeliveryId}
 * @param sender     the reverse-path, empty for the null sender {@code <>}
 * @param recipients accepted recipients in RCPT order, duplicates included (each gets a reply)
 * @param clientName the LHLO argument
 * @param clientIp   the client's address as an RFC 5321 address literal without brackets
 *                   ({@code 192.0.2.1}, {@code IPv6:2001:db8::1})
 * @param receivedAt when the data ended: INTERNALDATE and the {@code Received} date
 * @param smtputf8   MAIL carried {@code SMTPUTF8} (RFC 6531): addresses and header fields may be UTF-8
 * @param tls        the transaction ran over TLS (after STARTTLS, RFC 3207)
 */
public record Envelope(String id, Optional<String> sender, List<Username> recipients, String clientName,
                       String clientIp, Instant receivedAt, boolean smtputf8, boolean tls) {

    /** A plain-text, US-ASCII transaction (no SMTPUTF8, no TLS). */
    public Envelope(String id, Optional<String> sender, List<Username> recipients, String clientName,
                    String clientIp, Instant receivedAt) {
        this(id, sender, recipients, clientName, clientIp, receivedAt, false, false);
    }

    public Envelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sender, "sender");
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(clientName, "clientName");
        Objects.requireNonNull(clientIp, "clientIp");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
