import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';

// The one place association arrays are built. Rocket.Chat's updateByAssociations matches the *exact*
// array (same records, same order), so every write and read of a record must go through here.

export type RecordKind = 'instance' | 'contact' | 'person' | 'outbox' | 'inbox' | 'alert' | 'openroom' | 'seen' | 'templates' | 'templatesend' | 'bizname' | 'history' | 'usage';

export type Keys = Array<RocketChatAssociationRecord>;

const misc = (id: string) => new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, id);

/** [kind tag, primary key, ...secondary keys]: read by any subset, update by the whole array. */
export function keysOf(kind: RecordKind, primary: string, ...secondary: string[]): Keys {
	return [misc(`gab:${kind}`), misc(`gab:${kind}:${primary}`), ...secondary.map(misc)];
}

/** The subset used to read one record by its primary key. */
export function primaryKey(kind: RecordKind, primary: string): Keys {
	return [misc(`gab:${kind}:${primary}`)];
}

/** The subset used to read every record of a kind (small sets only: instances, alerts). */
export function kindKey(kind: RecordKind): Keys {
	return [misc(`gab:${kind}`)];
}

/** A secondary key (e.g. the room a contact is in), readable on its own. */
export function secondaryKey(id: string): Keys {
	return [misc(id)];
}
