package io.stratusmail.lmtp.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.mailbox.user.Username;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TraceHeadersTest {

    @Test
    void nullSenderAndIpv6ClientAreWrittenAsRfc5321Says() {
        Envelope envelope = new Envelope("06GZZE6V7HAZWKTM", Optional.empty(), List.of(Username.of("a@example.com")),
                "mx.example.org", "IPv6:2001:db8::1", Instant.parse("2025-06-02T10:00:05Z"));
        String trace = new String(TraceHeaders.forRecipient(envelope, Username.of("a@example.com"), "mail.example"),
                StandardCharsets.US_ASCII);
        assertThat(trace).isEqualTo("""
                Return-Path: <>\r
                Delivered-To: a@example.com\r
                Received: from mx.example.org ([IPv6:2001:db8::1])\r
                \tby mail.example with LMTP id 06GZZE6V7HAZWKTM;\r
                \tMon, 2 Jun 2025 10:00:05 +0000\r
                """);
    }

    @Test
    void deliveryIdsAreCrockfordBase32SortedByTimeAndDistinct() {
        Instant t = Instant.parse("2025-06-02T10:00:00Z");
        String earlier = DeliveryId.next(t);
        String later = DeliveryId.next(t.plusMillis(1));
        assertThat(earlier).matches("[0-9A-HJKMNP-TV-Z]{16}");
        assertThat(later).isGreaterThan(earlier);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(DeliveryId.next(t));
        }
        assertThat(ids).hasSize(10_000);
    }
}
