/**
 * Newsroom commands, for ADMIN_IDS in a private chat only (anyone else gets the unknown-command reply):
 * /stats (with what is waiting to be sent, and a button to send a broadcast again to the chats it
 * failed to reach), /unanswered, /reload, /broadcast <text> (with a confirmation button and a
 * progress message that updates), /resend <broadcast>.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Composer, Markup, type Context, type MiddlewareFn } from 'telegraf';
import { shanghaiParts } from '../../core/corpus/shanghai-time.js';
import type { BroadcastJob, BroadcastKind } from '../../store/broadcasts.js';
import { TOPICS, type Topic } from '../../store/subscribers.js';
import type { BotServices } from '../context.js';
import { escapeHtml, trimTo } from '../../html.js';
import { toHtmlMessages } from '../format.js';

export const ADMIN_COMMANDS = [
  { command: 'stats', description: '统计(编辑部)' },
  { command: 'unanswered', description: '答不上的高频问题(编辑部)' },
  { command: 'reload', description: '重新读取语料(编辑部)' },
  { command: 'broadcast', description: '群发消息(编辑部)' },
  { command: 'resend', description: '把群发重新发给未送达的人(编辑部)' },
];

const BC_PREFIX = 'bc:';
const RESEND_PREFIX = 'rs:';
/** Broadcasts with failed chats listed in /stats. */
const FAILED_LISTED = 5;

const KIND_NAMES: Record<BroadcastKind, string> = {
  preview: '民生在线预告',
  reminder: '民生在线提醒',
  articles: '新文章通知',
  admin: '编辑部群发',
};

/** A short name for a broadcast, for commands and buttons (its id can be longer than a button allows). */
export const broadcastRef = (id: string) => createHash('sha256').update(id).digest('base64url').slice(0, 8);

/** "编辑部群发 11-29 20:05", in Shanghai time. */
function broadcastLabel(job: BroadcastJob): string {
  const p = shanghaiParts(new Date(job.finishedAt ?? job.createdAt));
  const two = (n: number) => String(n).padStart(2, '0');
  return `${KIND_NAMES[job.kind]} ${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}`;
}

const REFUSALS = {
  unknown: '找不到这次群发。发 /stats 查看可以重发的群发。',
  running: '这次群发还在进行中,完成后才能重发。',
  resent: '这次群发未送达的人已经重发过了。',
  none: '这次群发没有需要重发的人(未送达的会话都已退订或屏蔽)。',
  expired: '这条提醒对应的“民生在线”已经开始,不再重发。',
} as const;
/** Broadcast text longest allowed, leaving room for the HTML escapes. */
const MAX_BROADCAST_CHARS = 3500;

/** The newsroom's commands; for anyone else, or outside a private chat, they pass on as unknown commands. */
export function adminFeature(services: BotServices): MiddlewareFn<Context> {
  const composer = new Composer<Context>();
  const drafts = new Map<string, { text: string; by: number }>();

  composer.command('stats', async (ctx) => {
    const { store, engine, broadcaster } = services;
    const lines = [`报道:${engine.knowledge.articles.length} 篇;民生在线场次:${engine.knowledge.sessions.length}`];
    let keyboard: ReturnType<typeof Markup.inlineKeyboard> | undefined;
    if (store) {
      const counts = await store.subscribers.counts();
      lines.push('订阅:');
      for (const t of Object.keys(TOPICS) as Topic[]) lines.push(`· ${TOPICS[t]}:${counts[t].active} 人(暂停 ${counts[t].blocked})`);
      const questions = await store.stats.counts();
      lines.push(`问题:已回答 ${questions.answered},未能回答 ${questions.declined}`);
      const jobs = await store.broadcasts.all();
      const delivered = jobs.reduce((n, j) => n + j.delivered.length, 0);
      const running = jobs.filter((j) => j.status !== 'done').length;
      lines.push(`群发:${jobs.length} 次(进行中 ${running}),送达 ${delivered} 条`);
    }
    if (broadcaster) {
      const waiting = await broadcaster.waiting();
      lines.push(waiting.jobs ? `等待发送:${waiting.jobs} 次群发,${waiting.recipients} 位收件人` : '等待发送:无');
      const failed = await broadcaster.failedJobs();
      if (failed.length) {
        lines.push('未送达(可重发):');
        for (const job of failed.slice(0, FAILED_LISTED))
          lines.push(`· ${broadcastLabel(job)}:${job.failed.length} 位未送达,/resend ${broadcastRef(job.id)}`);
        keyboard = Markup.inlineKeyboard(
          failed
            .slice(0, FAILED_LISTED)
            .map((job) => [
              Markup.button.callback(`重发:${broadcastLabel(job)}(${job.failed.length} 人)`, RESEND_PREFIX + broadcastRef(job.id)),
            ]),
        );
      }
    }
    await ctx.reply(lines.join('\n'), keyboard);
  });

  /** Sends a broadcast again to the chats it failed to reach; says what was done. */
  const resend = async (ref: string): Promise<string> => {
    const { store, broadcaster } = services;
    if (!store || !broadcaster) return '这个部署没有启用群发。';
    const source = (await store.broadcasts.all()).find((j) => j.id === ref || broadcastRef(j.id) === ref);
    if (!source) return REFUSALS.unknown;
    const result = await broadcaster.resend(source.id);
    if ('refused' in result) return REFUSALS[result.refused];
    return `正在重发「${broadcastLabel(source)}」给 ${result.job.recipients.length} 位未送达的收件人。发 /stats 查看进度。`;
  };

  composer.command('resend', async (ctx) => {
    const ref = ctx.payload.trim();
    if (!ref) {
      await ctx.reply('用法:/resend 群发编号(发 /stats 查看未送达的群发和编号)');
      return;
    }
    await ctx.reply(await resend(ref));
  });

  composer.action(new RegExp(`^${RESEND_PREFIX}(.+)$`), async (ctx) => {
    const text = await resend(ctx.match[1]!);
    await ctx.answerCbQuery(text.length > 190 ? `${text.slice(0, 190)}…` : text);
    await ctx.reply(text);
  });

  composer.command('unanswered', async (ctx) => {
    const top = (await services.store?.stats.topUnanswered(15)) ?? [];
    if (!top.length) {
      await ctx.reply('还没有答不上的问题。');
      return;
    }
    const text = ['答不上的高频问题(可作选题参考):', ...top.map((q, i) => `${i + 1}. ${trimTo(q.question, 80)}(${q.count} 次)`)].join('\n');
    for (const m of toHtmlMessages(text)) await ctx.reply(m, { parse_mode: 'HTML' });
  });

  composer.command('reload', async (ctx) => {
    if (!services.newsroom) {
      await ctx.reply('这个部署没有启用语料更新。');
      return;
    }
    const result = await services.newsroom.reload('admin');
    for (const m of toHtmlMessages(`${result.ok ? '✅' : '⚠️'} ${result.message}`)) await ctx.reply(m, { parse_mode: 'HTML' });
  });

  composer.command('broadcast', async (ctx) => {
    const text = ctx.payload.trim();
    if (!text) {
      await ctx.reply('用法:/broadcast 要群发的内容');
      return;
    }
    if (text.length > MAX_BROADCAST_CHARS) {
      await ctx.reply(`内容太长(${text.length} 字),请控制在 ${MAX_BROADCAST_CHARS} 字以内。`);
      return;
    }
    if (!services.store || !services.broadcaster) {
      await ctx.reply('这个部署没有启用群发。');
      return;
    }
    const recipients = (await services.store.subscribers.recipients()).length;
    const id = randomBytes(6).toString('base64url');
    drafts.set(id, { text, by: ctx.from.id });
    await ctx.reply(`将群发给 ${recipients} 位订阅者:\n\n${escapeHtml(text)}`, {
      parse_mode: 'HTML',
      ...Markup.inlineKeyboard([
        [
          Markup.button.callback(`确认发送(${recipients} 人)`, `${BC_PREFIX}go:${id}`),
          Markup.button.callback('取消', `${BC_PREFIX}no:${id}`),
        ],
      ]),
    });
  });

  composer.action(new RegExp(`^${BC_PREFIX}(go|no):(.+)$`), async (ctx) => {
    const [, action, id] = ctx.match as unknown as [string, 'go' | 'no', string];
    const draft = drafts.get(id);
    if (!draft) {
      await ctx.answerCbQuery('这份草稿已失效,请重新发 /broadcast。');
      return;
    }
    drafts.delete(id);
    if (action === 'no') {
      await ctx.answerCbQuery('已取消');
      await ctx.editMessageText('已取消群发。').catch(() => undefined);
      return;
    }
    const { store, broadcaster } = services;
    const recipients = await store!.subscribers.recipients();
    const messageId = ctx.callbackQuery.message?.message_id;
    const job = await broadcaster!.enqueue(`admin:${id}`, 'admin', escapeHtml(draft.text), recipients, {
      progress: messageId && ctx.chat ? { chatId: ctx.chat.id, messageId } : undefined,
    });
    await ctx.answerCbQuery('开始发送');
    await ctx.editMessageText(`群发已开始:0/${job.recipients.length}`).catch(() => undefined);
  });

  return Composer.privateChat(Composer.acl(services.adminIds, composer));
}
