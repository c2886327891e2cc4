import { connect, createServer } from 'node:net'
import type { AddressInfo, Socket } from 'node:net'

/** A local TCP forwarder that can be cut, so a test can make a real database unreachable without stopping it. */
export interface TcpProxy {
  port: number
  /** Drops every open connection and refuses new ones. */
  cut: () => Promise<void>
  /** Accepts connections again on the same port, as a database coming back would. */
  restore: () => Promise<void>
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>()
  const track = (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  }
  const server = createServer((client) => {
    const upstream = connect(targetPort, targetHost)
    track(client)
    track(upstream)
    client.pipe(upstream).pipe(client)
    client.on('error', () => upstream.destroy())
    upstream.on('error', () => client.destroy())
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    port,
    restore: () => new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve)),
    cut: async () => {
      const closed = new Promise(resolve => server.close(resolve))
      for (const socket of sockets) socket.destroy()
      await closed
    },
  }
}
