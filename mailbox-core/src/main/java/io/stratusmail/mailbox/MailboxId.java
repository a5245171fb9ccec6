package io.stratusmail.mailbox;

import java.util.Objects;
import java.util.UUID;

/** Stable identity of a mailbox; unchanged by RENAME. */
public record MailboxId(UUID value) {
    public MailboxId {
        Objects.requireNonNull(value, "value");
    }

    public static MailboxId random() {
        return new MailboxId(UUID.randomUUID());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
