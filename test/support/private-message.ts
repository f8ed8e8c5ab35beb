/** A text message from a person in a private chat, as the Bot API delivers it (a command marked as one). */
export const privateMessage = (from: number, text: string, id: number) => ({
  message_id: id,
  date: Math.floor(Date.now() / 1000),
  chat: { id: from, type: 'private', first_name: 'u' },
  from: { id: from, is_bot: false, first_name: 'u' },
  text,
  ...(text.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }] } : {}),
});
