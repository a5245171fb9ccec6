package io.stratusmail.localcluster;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;

/**
 * Main class of every forked engine JVM: ends the engine when the launcher's JVM is gone, even if
 * that JVM was killed with SIGKILL and could not run its shutdown hooks.
 *
 * <p>Usage: {@code ParentWatchdog <launcher pid> <engine main class> [engine args...]}. A daemon
 * thread checks every second whether the launcher process is still alive (the check also notices a
 * reused PID, as {@link ProcessHandle#isAlive()} compares start times); when it is gone it calls
 * {@link System#exit(int)}, which runs the engine's own shutdown hooks (Cassandra drains, OpenSearch
 * closes its node), and halts the JVM if those hooks take longer than {@value #HALT_AFTER_MILLIS} ms.
 * Then this class delegates to the engine's {@code main} through reflection.
 *
 * <p>The launcher copies this class file alone onto the engine's classpath, so it uses nothing but the
 * JDK and compiles to a single class file (no inner or anonymous classes).
 */
public final class ParentWatchdog {

    static final long POLL_MILLIS = 1_000;
    static final long HALT_AFTER_MILLIS = 30_000;

    private ParentWatchdog() {
    }

    /**
     * @param args the launcher's PID, the engine's main class, then the engine's arguments
     * @throws Throwable whatever the engine's main throws
     */
    public static void main(String[] args) throws Throwable {
        if (args.length < 2) {
            System.err.println("usage: ParentWatchdog <launcher pid> <main class> [args...]");
            System.exit(2);
        }
        long launcherPid = Long.parseLong(args[0]);
        Optional<ProcessHandle> launcher = ProcessHandle.of(launcherPid);
        if (launcher.isEmpty() || !launcher.get().isAlive()) {
            System.err.println("event=watchdog_exit reason=launcher_gone launcherPid=" + launcherPid);
            System.exit(3);
            return;
        }
        ProcessHandle watched = launcher.get();
        Thread watchdog = new Thread(() -> watch(watched), "stratus-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        Method main = Class.forName(args[1]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void watch(ProcessHandle launcher) {
        while (launcher.isAlive()) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        System.err.println("event=watchdog_exit reason=launcher_gone launcherPid=" + launcher.pid());
        Thread halt = new Thread(ParentWatchdog::haltLater, "stratus-parent-watchdog-halt");
        halt.setDaemon(true);
        halt.start();
        System.exit(0);
    }

    private static void haltLater() {
        try {
            Thread.sleep(HALT_AFTER_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().halt(1);
    }
}
