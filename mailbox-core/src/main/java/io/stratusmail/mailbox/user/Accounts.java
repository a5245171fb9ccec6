package io.stratusmail.mailbox.user;

import io.stratusmail.mailbox.MailboxRepository;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Account administration and authentication on top of a {@link UserRepository}: hashes passwords with
 * {@link PasswordHasher} on the given executor (never on a network event loop) and makes sure every
 * account has an INBOX and the default special-use mailboxes.
 */
public final class Accounts {

    private final UserRepository users;
    private final MailboxRepository mailboxes;
    private final PasswordHasher hasher;
    private final Executor hashing;

    public Accounts(UserRepository users, MailboxRepository mailboxes, PasswordHasher hasher, Executor hashing) {
        this.users = users;
        this.mailboxes = mailboxes;
        this.hasher = hasher;
        this.hashing = hashing;
    }

    /**
     * Creates the account, or sets a new password when it exists; provisions its mailboxes
     * ({@link MailboxRepository#provision}: INBOX and, for a new account, Sent, Drafts, Trash, Junk, Archive).
     */
    public CompletionStage<Void> createOrUpdate(Username user, char[] password) {
        if (password.length == 0) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("password must not be empty"));
        }
        return CompletableFuture.supplyAsync(() -> hasher.hash(password), hashing)
                .thenCompose(hash -> users.put(user, hash))
                .thenCompose(v -> mailboxes.provision(user))
                .thenApply(inbox -> null);
    }

    /**
     * Sets a new password of an existing account. Fails with {@link UnknownUserException} when there is no
     * such account (and creates none), with {@link IllegalArgumentException} for an empty password.
     */
    public CompletionStage<Void> changePassword(Username user, char[] password) {
        if (password.length == 0) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("password must not be empty"));
        }
        return CompletableFuture.supplyAsync(() -> hasher.hash(password), hashing)
                .thenCompose(hash -> users.replacePasswordHash(user, hash))
                .thenAccept(changed -> {
                    if (!changed) {
                        throw new UnknownUserException(user);
                    }
                });
    }

    /**
     * Checks a login. Completes with false for an unknown user or a wrong password; an unknown user
     * costs a hash too, so timing does not tell which.
     */
    public CompletionStage<Boolean> authenticate(Username user, char[] password) {
        return users.passwordHash(user).thenApplyAsync(hash -> {
            if (hash.isEmpty()) {
                hasher.hash(password);
                return false;
            }
            return hasher.verify(password, hash.get());
        }, hashing);
    }

    public CompletionStage<Boolean> exists(Username user) {
        return users.exists(user);
    }

    public CompletionStage<List<Username>> list() {
        return users.list();
    }

    /**
     * Deletes the account with all its mailboxes and messages ({@link UserRepository#deleteWithMail}); completes
     * with false when there was no account.
     */
    public CompletionStage<Boolean> delete(Username user) {
        return users.deleteWithMail(user);
    }
}
