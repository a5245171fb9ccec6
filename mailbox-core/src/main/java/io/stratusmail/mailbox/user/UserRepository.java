package io.stratusmail.mailbox.user;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Persistent accounts: a user and the PHC-format hash of its password (see {@link PasswordHasher}).
 * Implementations never see a clear-text password.
 */
public interface UserRepository {

    /** Creates the user or replaces its password hash. Completes once durable. */
    CompletionStage<Void> put(Username user, String passwordHash);

    /** The stored password hash, empty when the user does not exist. */
    CompletionStage<Optional<String>> passwordHash(Username user);

    /** Whether the user exists. */
    default CompletionStage<Boolean> exists(Username user) {
        return passwordHash(user).thenApply(Optional::isPresent);
    }

    /** All users, sorted by name. Intended for administration (bounded by the number of accounts). */
    CompletionStage<List<Username>> list();

    /** Deletes the account but not its mail ({@link #deleteWithMail} deletes both); false when it did not exist. */
    CompletionStage<Boolean> delete(Username user);

    /**
     * Replaces the password hash of an existing user. Completes with false, storing nothing, when the user does
     * not exist (so a password change racing with a deletion never brings the account back).
     */
    CompletionStage<Boolean> replacePasswordHash(Username user, String passwordHash);

    /**
     * Deletes the account and all its mail: every mailbox and every message in them (message content that no
     * message refers to any more is left to the blob collector). Completes with false when there was no
     * account; mail left by an earlier, interrupted deletion is deleted either way, so running it again
     * finishes the job. A user created again with the same address starts with an empty INBOX whose
     * UIDVALIDITY differs from every earlier one.
     */
    CompletionStage<Boolean> deleteWithMail(Username user);
}
