/**
 * The room this user was just taken out of (or left in another tab), and the room its page went to instead:
 * that page says why it is there.
 */
export const useRemovedFromRoom = () => useState<{ label: string, landedOn: string, userId: string | undefined } | null>('removed-from-room', () => null)
