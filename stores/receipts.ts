import { defineStore } from 'pinia'
import { ref } from 'vue'
import { useConnectionStore } from './connection'

/**
 * The other members' read receipts per room (direct messages and small private rooms only: the server sends
 * none elsewhere): read over REST when the room is shown, then kept current by `receipt` events.
 */
export const useReceiptsStore = defineStore('receipts', () => {
  const connection = useConnectionStore()
  /** Per room, each other member's read seq. */
  const receiptsByRoom = ref<Record<string, Record<string, number>>>({})

  connection.on('receipt', ({ room, userId, seq }) => {
    const known = receiptsByRoom.value[room] ?? {}
    if (seq > (known[userId] ?? 0)) receiptsByRoom.value = { ...receiptsByRoom.value, [room]: { ...known, [userId]: seq } }
  })
  connection.onDisconnect(() => {
    receiptsByRoom.value = {}
  })

  async function load(room: string): Promise<void> {
    try {
      const { receipts } = await $fetch<{ receipts: { userId: string, seq: number }[] }>(`/api/rooms/${room}/receipts`)
      const loaded = Object.fromEntries(receipts.map(receipt => [receipt.userId, receipt.seq]))
      // A live receipt that came while this was on its way may be newer: keep the higher of the two.
      const live = receiptsByRoom.value[room] ?? {}
      for (const [userId, seq] of Object.entries(live)) loaded[userId] = Math.max(seq, loaded[userId] ?? 0)
      receiptsByRoom.value = { ...receiptsByRoom.value, [room]: loaded }
    }
    catch (error) {
      console.warn(`[banter] could not read the read receipts of ${room}`, error)
    }
  }

  /** The members who have read the room up to `seq` at least. */
  function seenBy(room: string, seq: number): string[] {
    return Object.entries(receiptsByRoom.value[room] ?? {}).filter(([, read]) => read >= seq).map(([userId]) => userId)
  }

  return { receiptsByRoom, load, seenBy }
})
