// Rocket.Chat names reactions by shortcode (`:thumbsup:`, JoyPixels names); WhatsApp wants the emoji
// itself. The reactions people actually use, with Rocket.Chat's aliases; skin tones as `_tone1`…`_tone5`.

import { own } from './ports/lookup';

const BY_NAME: Record<string, string> = {
	thumbsup: '👍', '+1': '👍', thumbup: '👍', thumbsdown: '👎', '-1': '👎', thumbdown: '👎',
	heart: '❤️', hearts: '♥️', orange_heart: '🧡', yellow_heart: '💛', green_heart: '💚', blue_heart: '💙', purple_heart: '💜',
	black_heart: '🖤', white_heart: '🤍', broken_heart: '💔', two_hearts: '💕', sparkling_heart: '💖', heart_eyes: '😍',
	joy: '😂', rofl: '🤣', rolling_on_the_floor_laughing: '🤣', smile: '😄', smiley: '😃', grinning: '😀', grin: '😁',
	laughing: '😆', satisfied: '😆', sweat_smile: '😅', slight_smile: '🙂', slightly_smiling_face: '🙂', upside_down: '🙃',
	wink: '😉', blush: '😊', innocent: '😇', smiling_face_with_3_hearts: '🥰', kissing_heart: '😘', yum: '😋',
	stuck_out_tongue: '😛', stuck_out_tongue_winking_eye: '😜', sunglasses: '😎', nerd: '🤓', thinking: '🤔', thinking_face: '🤔',
	neutral_face: '😐', expressionless: '😑', no_mouth: '😶', rolling_eyes: '🙄', smirk: '😏', relieved: '😌',
	pensive: '😔', confused: '😕', worried: '😟', frowning2: '☹️', slight_frown: '🙁', disappointed: '😞',
	cry: '😢', sob: '😭', angry: '😠', rage: '😡', scream: '😱', fearful: '😨', cold_sweat: '😰', open_mouth: '😮',
	astonished: '😲', hushed: '😯', flushed: '😳', sleeping: '😴', mask: '😷', partying_face: '🥳', star_struck: '🤩',
	hugging: '🤗', hugs: '🤗', shushing_face: '🤫', face_with_hand_over_mouth: '🤭', zipper_mouth: '🤐', exploding_head: '🤯',
	clap: '👏', pray: '🙏', ok_hand: '👌', wave: '👋', raised_hands: '🙌', muscle: '💪', v: '✌️', fingers_crossed: '🤞',
	point_up: '☝️', point_right: '👉', point_left: '👈', handshake: '🤝', raised_hand: '✋', call_me: '🤙', metal: '🤘', eyes: '👀',
	fire: '🔥', tada: '🎉', confetti_ball: '🎊', rocket: '🚀', star: '⭐', star2: '🌟', sparkles: '✨', zap: '⚡', boom: '💥',
	'100': '💯', white_check_mark: '✅', heavy_check_mark: '✔️', ballot_box_with_check: '☑️', x: '❌', negative_squared_cross_mark: '❎',
	question: '❓', grey_question: '❔', exclamation: '❗', warning: '⚠️', no_entry: '⛔', bulb: '💡', moneybag: '💰', gift: '🎁',
	coffee: '☕', beers: '🍻', cake: '🎂', trophy: '🏆', medal: '🏅', bell: '🔔', calendar: '📅', telephone_receiver: '📞',
	phone: '☎️', email: '📧', envelope: '✉️', package: '📦', truck: '🚚', hourglass: '⌛', alarm_clock: '⏰', lock: '🔒',
	see_no_evil: '🙈', hear_no_evil: '🙉', speak_no_evil: '🙊', poop: '💩', skull: '💀', ghost: '👻', robot: '🤖', sun_with_face: '🌞',
};

const TONES = ['🏻', '🏼', '🏽', '🏾', '🏿'];

/** ':thumbsup:' → '👍', ':thumbsup_tone3:' → '👍🏽'; an emoji given as such stays; unknown (custom) names: undefined. */
export function emojiOf(reaction: string): string | undefined {
	const raw = reaction.trim();
	if (!raw.startsWith(':')) return /\p{Extended_Pictographic}/u.test(raw) ? raw : undefined;
	const name = raw.replace(/^:|:$/g, '').toLowerCase();
	const toned = /^(.+)_tone([1-5])$/.exec(name);
	const base = toned ? own(BY_NAME, toned[1]) : undefined;
	if (toned && base) return base.replace(/\uFE0F$/, '') + TONES[Number(toned[2]) - 1];
	return own(BY_NAME, name);
}
