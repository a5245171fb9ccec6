package io.stratusmail.imap.bench;

import io.stratusmail.imap.ImapConfig;
import io.stratusmail.imap.ImapServer;
import io.stratusmail.imap.literal.LiteralSpool;
import io.stratusmail.mailbox.quota.Quotas;
import io.stratusmail.mailbox.testing.InMemoryMailStore;
import io.stratusmail.mailbox.user.Accounts;
import io.stratusmail.mailbox.user.PasswordHasher;
import io.stratusmail.mailbox.user.Username;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * Heap held per connection while large APPEND literals are in flight: opens {@code connections} logged-in
 * sessions, starts an APPEND of {@code literalMiB} MiB on each and sends {@code sentMiB} MiB of it, then compares
 * the heap in use (after a full GC) with the heap of the same sessions idle. Run in a JVM with a small heap, e.g.
 * {@code java -Xmx64m -cp <test classpath> io.stratusmail.imap.bench.LiteralHeapBench 20 40 20}; it prints one
 * {@code key=value} line (a fourth argument sets the spool threshold, a fifth waits for Enter so that
 * {@code jcmd <pid> GC.heap_info} can confirm the figure).
 */
public final class LiteralHeapBench {

    private LiteralHeapBench() {
    }

    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int literalMiB = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        int sentMiB = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        // A threshold above the literal size reads literals into memory, as before spooling: the comparison.
        int threshold = args.length > 3 ? Integer.parseInt(args[3]) : LiteralSpool.DEFAULT_THRESHOLD;
        InMemoryMailStore store = new InMemoryMailStore();
        Accounts accounts = new Accounts(store, store, new PasswordHasher(1024, 1, 1),
                Executors.newFixedThreadPool(1));
        LiteralSpool spool = new LiteralSpool(Files.createTempDirectory("spool-bench"), threshold);
        ImapServer server = new ImapServer(ImapConfig.defaults("bench").withMaxLiteralSize(64 * 1024 * 1024),
                accounts, store, store, Quotas.withoutLimits(store, store)).useLiteralSpool(spool);
        InetSocketAddress address = server.start("127.0.0.1", 0);
        accounts.createOrUpdate(Username.of("bench@example.org"), "secret".toCharArray()).toCompletableFuture().join();

        List<Socket> sockets = new ArrayList<>();
        List<BufferedReader> readers = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Socket s = new Socket(address.getAddress(), address.getPort());
            BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            r.readLine();
            s.getOutputStream().write("a LOGIN bench@example.org secret\r\n".getBytes(StandardCharsets.US_ASCII));
            while (!r.readLine().startsWith("a ")) {
                // untagged responses
            }
            sockets.add(s);
            readers.add(r);
        }
        long idle = usedAfterGc();
        byte[] piece = new byte[1024 * 1024];
        java.util.Arrays.fill(piece, (byte) 'x');
        for (int i = 0; i < connections; i++) {
            OutputStream out = sockets.get(i).getOutputStream();
            out.write(("b APPEND INBOX {" + literalMiB * 1024L * 1024 + "}\r\n").getBytes(StandardCharsets.US_ASCII));
            readers.get(i).readLine(); // + Ready for literal data
            out.write("Subject: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int m = 0; m < sentMiB; m++) {
                out.write(piece, 0, m == 0 ? piece.length - 14 : piece.length);
            }
            out.flush();
        }
        Thread.sleep(2000); // let the server drain what is in the socket buffers
        long busy = usedAfterGc();
        System.out.printf("event=literal_heap connections=%d literal_mib=%d sent_mib=%d heap_idle_kib=%d "
                        + "heap_in_flight_kib=%d per_connection_kib=%d peak_buffered_octets=%d spool_files=%d pid=%d%n",
                connections, literalMiB, sentMiB, idle / 1024, busy / 1024, (busy - idle) / 1024 / connections,
                spool.peakBufferedOctets(), spool.liveFiles(), ProcessHandle.current().pid());
        if (args.length > 4) {
            System.in.read();
        }
        for (Socket s : sockets) {
            s.close();
        }
        for (int i = 0; i < 100 && spool.liveFiles() > 0; i++) {
            Thread.sleep(50); // the connections' spool files are deleted as they close
        }
        server.stop();
        spool.close();
        Files.deleteIfExists(spool.directory());
        System.exit(0);
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
