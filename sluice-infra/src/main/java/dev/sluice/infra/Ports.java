package dev.sluice.infra;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Checks ports before anything starts, so a conflict gives one clear line instead of a timeout. */
final class Ports {
  private Ports() {}

  static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(InfraPlan.LOOPBACK), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Fails naming the port, what needs it, and the variable that moves it. */
  static void requireFree(int port, String user, String variable) {
    if (!isFree(port)) {
      throw new StartupException(
          "port "
              + port
              + " ("
              + user
              + ") is already in use: stop what holds it or set "
              + variable
              + " to a free port");
    }
  }
}
