/** @jsxImportSource hono/jsx */
// LINE messages as HTML, close enough to LINE's own rendering to read them as a person would: text bubbles,
// Flex bubbles and carousels (boxes, texts, buttons, images, separators, fillers, progress bars), images, and
// the quick-reply bar. Anything tappable carries its LINE action as `data-action` for the page's script.
// Sizes and spacings are LINE's documented pixel values for each keyword.
import type { Child } from 'hono/jsx';
import type { ChatEntry } from './dev-line.js';

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isRecord) : []);

const TEXT_SIZE: Record<string, string> = {
  xxs: '11px',
  xs: '13px',
  sm: '14px',
  md: '16px',
  lg: '19px',
  xl: '22px',
  xxl: '29px',
  '3xl': '35px',
  '4xl': '48px',
  '5xl': '74px',
};
const SPACE: Record<string, string> = {
  none: '0',
  xs: '2px',
  sm: '4px',
  md: '8px',
  lg: '12px',
  xl: '16px',
  xxl: '20px',
};
const BUBBLE_WIDTH: Record<string, string> = {
  nano: '120px',
  micro: '160px',
  deca: '220px',
  hecto: '241px',
  kilo: '260px',
  mega: '300px',
  giga: '386px',
};
const IMAGE_SIZE: Record<string, string> = {
  xxs: '40px',
  xs: '60px',
  sm: '80px',
  md: '100px',
  lg: '120px',
  xl: '140px',
  xxl: '160px',
  full: '100%',
};

/** A keyword (`md`) or a literal (`6px`, `50%`) as CSS. */
const space = (v: unknown): string | undefined => {
  const s = str(v);
  return s === undefined ? undefined : (SPACE[s] ?? s);
};

function css(props: Record<string, string | number | undefined>): string {
  return Object.entries(props)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`)}:${String(v)}`)
    .join(';');
}

/** The action a tap performs, for the page's script; null when the element does nothing. */
const actionAttr = (action: unknown): string | undefined => (isRecord(action) ? JSON.stringify(action) : undefined);

/** How a child sits in its parent box: LINE's `flex` (horizontal children default to 1, vertical to 0) and margin. */
function childLayout(node: Json, parent: 'vertical' | 'horizontal' | 'baseline', first: boolean) {
  const flex = typeof node.flex === 'number' ? node.flex : parent === 'vertical' ? 0 : 1;
  const margin = first ? undefined : space(node.margin);
  return {
    flex: flex === 0 ? '0 0 auto' : `${flex} ${flex} 0`,
    minWidth: '0',
    ...(parent === 'vertical' ? { marginTop: margin } : { marginLeft: margin }),
  };
}

function FlexNode(props: {
  node: Json;
  parent: 'vertical' | 'horizontal' | 'baseline';
  first: boolean;
  /** A bubble section's own padding, which LINE gives its top box unless the box sets paddingAll. */
  padding?: string;
}): Child {
  const { node, parent, first } = props;
  const outer = childLayout(node, parent, first);
  switch (node.type) {
    case 'box': {
      const layout = node.layout === 'horizontal' || node.layout === 'baseline' ? node.layout : 'vertical';
      const children = list(node.contents);
      const style = css({
        ...outer,
        ...(str(node.width) === undefined ? {} : { flex: '0 0 auto', width: str(node.width) }),
        display: 'flex',
        flexDirection: layout === 'vertical' ? 'column' : 'row',
        alignItems: layout === 'baseline' ? 'baseline' : str(node.alignItems),
        justifyContent: str(node.justifyContent),
        gap: space(node.spacing),
        height: str(node.height),
        maxWidth: str(node.maxWidth),
        backgroundColor: str(node.backgroundColor),
        borderRadius: space(node.cornerRadius),
        border:
          str(node.borderWidth) === undefined
            ? undefined
            : `${space(node.borderWidth) ?? '1px'} solid ${str(node.borderColor) ?? '#ddd'}`,
        padding: space(node.paddingAll) ?? props.padding,
        paddingTop: space(node.paddingTop),
        paddingBottom: space(node.paddingBottom),
        paddingLeft: space(node.paddingStart),
        paddingRight: space(node.paddingEnd),
        overflow: 'hidden',
        cursor: isRecord(node.action) ? 'pointer' : undefined,
      });
      return (
        <div class="fx-box" style={style} data-action={actionAttr(node.action)}>
          {children.map((c, i) => (
            <FlexNode node={c} parent={layout} first={i === 0} />
          ))}
        </div>
      );
    }
    case 'text': {
      const wrap = node.wrap === true || typeof node.maxLines === 'number';
      const spans = list(node.contents);
      const style = css({
        ...outer,
        fontSize: TEXT_SIZE[str(node.size) ?? 'md'] ?? str(node.size),
        fontWeight: node.weight === 'bold' ? '700' : undefined,
        fontStyle: node.style === 'italic' ? 'italic' : undefined,
        textDecoration:
          node.decoration === 'line-through' || node.decoration === 'underline' ? str(node.decoration) : undefined,
        color: str(node.color) ?? '#111111',
        textAlign: node.align === 'end' ? 'right' : node.align === 'center' ? 'center' : undefined,
        whiteSpace: wrap ? 'pre-wrap' : 'nowrap',
        overflow: 'hidden',
        textOverflow: 'ellipsis',
        display: typeof node.maxLines === 'number' && node.maxLines > 0 ? '-webkit-box' : undefined,
        WebkitLineClamp: typeof node.maxLines === 'number' && node.maxLines > 0 ? node.maxLines : undefined,
        WebkitBoxOrient: typeof node.maxLines === 'number' && node.maxLines > 0 ? 'vertical' : undefined,
        lineHeight: str(node.lineSpacing) ?? '1.4',
        cursor: isRecord(node.action) ? 'pointer' : undefined,
      });
      return (
        <div class="fx-text" style={style} data-action={actionAttr(node.action)}>
          {spans.length > 0
            ? spans.map((s) => (
                <span
                  style={css({
                    color: str(s.color),
                    fontWeight: s.weight === 'bold' ? '700' : undefined,
                    fontSize: TEXT_SIZE[str(s.size) ?? ''] ?? undefined,
                  })}
                >
                  {str(s.text) ?? ''}
                </span>
              ))
            : (str(node.text) ?? '')}
        </div>
      );
    }
    case 'button': {
      const action = isRecord(node.action) ? node.action : {};
      const kind = node.style === 'primary' ? 'primary' : node.style === 'secondary' ? 'secondary' : 'link';
      const color = str(node.color);
      const style = css({
        ...outer,
        height: node.height === 'sm' ? '40px' : '52px',
        ...(kind === 'primary'
          ? { backgroundColor: color ?? '#06C755', color: '#ffffff' }
          : kind === 'secondary'
            ? { backgroundColor: color ?? '#EFEFEF', color: '#111111' }
            : { backgroundColor: 'transparent', color: color ?? '#42659A' }),
      });
      const label = str(action.label) ?? '';
      if (action.type === 'datetimepicker') return <Picker action={action} label={label} style={style} />;
      return (
        <button type="button" class={`fx-button fx-${kind}`} style={style} data-action={actionAttr(action)}>
          {label}
        </button>
      );
    }
    case 'separator':
      return (
        <div
          class="fx-separator"
          style={css({
            ...outer,
            flex: '0 0 auto',
            borderTop: `1px solid ${str(node.color) ?? '#DDDDDD'}`,
            alignSelf: 'stretch',
          })}
        />
      );
    case 'filler':
      return <div class="fx-filler" style={css({ flex: `${typeof node.flex === 'number' ? node.flex : 1} 1 0` })} />;
    case 'image':
    case 'icon': {
      const size = str(node.size) ?? (node.type === 'icon' ? 'md' : 'md');
      const width = node.type === 'icon' ? (TEXT_SIZE[size] ?? size) : (IMAGE_SIZE[size] ?? size);
      const ratio = str(node.aspectRatio)?.replace(':', ' / ');
      return (
        <img
          class={`fx-${String(node.type)}`}
          src={str(node.url) ?? ''}
          alt=""
          data-action={actionAttr(node.action)}
          style={css({
            ...outer,
            flex: '0 0 auto',
            width,
            maxWidth: '100%',
            aspectRatio: ratio ?? (node.type === 'icon' ? '1 / 1' : undefined),
            objectFit: node.aspectMode === 'cover' ? 'cover' : 'contain',
            alignSelf: node.align === 'start' ? 'flex-start' : node.align === 'end' ? 'flex-end' : 'center',
            background: '#f3f3f3',
          })}
        />
      );
    }
    case 'span':
      return <span>{str(node.text) ?? ''}</span>;
    default:
      return <div class="fx-unknown">[{String(node.type)}]</div>;
  }
}

const SECTION_PADDING: Record<string, string> = { header: '20px', hero: '0', body: '20px', footer: '10px' };

export function Bubble(props: { bubble: Json }): Child {
  const { bubble } = props;
  const styles = isRecord(bubble.styles) ? bubble.styles : {};
  const sections = (['header', 'hero', 'body', 'footer'] as const).flatMap((name) => {
    const node = bubble[name];
    if (!isRecord(node)) return [];
    const sectionStyle = isRecord(styles[name]) ? styles[name] : {};
    return [
      <div
        class={`fx-${name}`}
        style={css({
          backgroundColor: str(sectionStyle.backgroundColor),
          borderTop:
            sectionStyle.separator === true ? `1px solid ${str(sectionStyle.separatorColor) ?? '#ddd'}` : undefined,
          display: 'flex',
          flexDirection: 'column',
        })}
      >
        <FlexNode node={node} parent="vertical" first padding={SECTION_PADDING[name] ?? '0'} />
      </div>,
    ];
  });
  return (
    <div class="fx-bubble" style={css({ width: BUBBLE_WIDTH[str(bubble.size) ?? 'mega'] ?? '300px' })}>
      {sections}
    </div>
  );
}

/** LINE's date/time picker as the matching HTML input with a send button. */
function Picker(props: { action: Json; label: string; style?: string }): Child {
  const mode = props.action.mode === 'time' ? 'time' : props.action.mode === 'datetime' ? 'datetime-local' : 'date';
  return (
    <span class="picker" style={props.style}>
      <input
        type={mode}
        value={str(props.action.initial) ?? ''}
        min={str(props.action.min)}
        max={str(props.action.max)}
        aria-label={props.label}
      />
      <button type="button" class="chip" data-action={JSON.stringify(props.action)}>
        {props.label}
      </button>
    </span>
  );
}

function MessageBody(props: { message: Json }): Child {
  const m = props.message;
  switch (m.type) {
    case 'text':
      return <div class="text">{str(m.text) ?? ''}</div>;
    case 'image':
      return <img class="photo" src={str(m.previewImageUrl) ?? str(m.originalContentUrl) ?? ''} alt="รูปภาพ" />;
    case 'sticker':
      return <div class="text">[สติกเกอร์]</div>;
    case 'flex': {
      const contents = isRecord(m.contents) ? m.contents : {};
      if (contents.type === 'carousel')
        return (
          <div class="fx-carousel">
            {list(contents.contents).map((b) => (
              <Bubble bubble={b} />
            ))}
          </div>
        );
      return <Bubble bubble={contents} />;
    }
    case 'template': {
      const t = isRecord(m.template) ? m.template : {};
      return (
        <div class="text">
          {str(t.text) ?? str(m.altText) ?? ''}
          {list(t.actions).map((a) => (
            <button type="button" class="fx-button fx-link" data-action={JSON.stringify(a)}>
              {str(a.label) ?? ''}
            </button>
          ))}
        </div>
      );
    }
    default:
      return (
        <div class="text">
          [{String(m.type)}] {str(m.altText) ?? ''}
        </div>
      );
  }
}

/** A camera drawn inline: the page depends on no emoji font. */
export const CameraIcon = (): Child => (
  <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
    <path
      fill="currentColor"
      d="M9 4 7.2 6H4a2 2 0 0 0-2 2v10a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V8a2 2 0 0 0-2-2h-3.2L15 4H9zm3 4.5a4.5 4.5 0 1 1 0 9 4.5 4.5 0 0 1 0-9zm0 2a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5z"
    />
  </svg>
);

const timeOf = (at: number) =>
  new Date(at).toLocaleTimeString('th-TH', { timeZone: 'Asia/Bangkok', hour: '2-digit', minute: '2-digit' });

export function ChatLog(props: { entries: ChatEntry[] }): Child {
  if (props.entries.length === 0) return <p class="empty">ยังไม่มีข้อความ</p>;
  return (
    <>
      {props.entries.map((e) => {
        const wide = e.message.type === 'flex';
        return (
          <div class={`row ${e.from}`} data-seq={String(e.seq)}>
            {e.from === 'bot' ? <div class="avatar">น</div> : null}
            <div class={`msg ${wide ? 'wide' : ''} ${e.message.type === 'text' ? 'bubble-text' : ''}`}>
              <MessageBody message={e.message} />
            </div>
            <div class="meta">
              {e.via === 'push' || e.via === 'multicast' ? <span class="push-tag">push</span> : null}
              {timeOf(e.at)}
            </div>
          </div>
        );
      })}
    </>
  );
}

/** The quick-reply bar of the chat's last message, as LINE shows it only while that message is the latest. */
export function QuickReplies(props: { entries: ChatEntry[] }): Child {
  const last = props.entries.at(-1);
  if (last === undefined || last.from !== 'bot' || !isRecord(last.message.quickReply)) return null;
  const items = list(last.message.quickReply.items);
  return (
    <div class="quick">
      {items.map((item) => {
        const action = isRecord(item.action) ? item.action : {};
        const label = str(action.label) ?? '';
        if (action.type === 'datetimepicker') return <Picker action={action} label={label} />;
        if (action.type === 'camera' || action.type === 'cameraRoll')
          return (
            <label class="chip" data-kind="photo">
              <CameraIcon /> {label}
              <input type="file" accept="image/*" class="photo-input" hidden />
            </label>
          );
        return (
          <button type="button" class="chip" data-action={JSON.stringify(action)}>
            {label}
          </button>
        );
      })}
    </div>
  );
}
