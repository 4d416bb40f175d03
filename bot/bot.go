// Package bot is Yol's application core: the domain types every channel
// speaks (an Inbound message in, Replies out) and the conversation Service
// that runs the dialog engine, the knowledge base and the actions in one
// database transaction per message. It knows nothing of Telegram, HTTP,
// pgx or OpenAI: adapters convert at the edges.
package bot

import (
	"time"

	"github.com/yol-project/yol/bot/dialog"
)

// Channel is where a conversation happens.
type Channel string

// The channels.
const (
	ChannelTelegram  Channel = "telegram"
	ChannelSimulator Channel = "simulator"
	ChannelTerminal  Channel = "terminal"
)

// Chat identifies one person's conversation on a channel.
type Chat struct {
	Channel Channel
	ID      int64
}

// InboundKind says what a person did.
type InboundKind string

// The inbound kinds.
const (
	InText        InboundKind = "text"        // typed text, Text
	InCommand     InboundKind = "command"     // /name [payload]: Command, Payload
	InButton      InboundKind = "button"      // an inline button: Data
	InLocation    InboundKind = "location"    // Lat, Lng
	InContact     InboundKind = "contact"     // Phone (the person's own)
	InVoice       InboundKind = "voice"       // a voice message (not transcribed here)
	InUnsupported InboundKind = "unsupported" // photo, document, sticker...: Text names the kind
	InBlocked     InboundKind = "blocked"     // the person blocked the bot
	InUnblocked   InboundKind = "unblocked"   // the person unblocked it
)

// Inbound is one thing a person did, converted from the channel's own types.
type Inbound struct {
	UpdateID int64 // the channel's delivery id (Telegram update_id); 0 when none
	Chat     Chat
	LangHint string // the channel's language hint (Telegram language_code)
	Kind     InboundKind
	Text     string
	Command  string
	Payload  string
	Data     string // callback data of a pressed button
	Lat, Lng float64
	Phone    string
	FileID   string // a voice message's file in the channel (to transcribe)
	// MessageID is the channel's id of the person's message (Telegram
	// message_id), kept to delete it from the chat later (phone.go); 0
	// when none.
	MessageID int64
	At        time.Time
}

// Button is one inline button: Label is shown, Data comes back in an
// InButton when pressed (at most 64 bytes).
type Button struct {
	Label string `json:"label"`
	Data  string `json:"data"`
}

// Keyboard is a reply keyboard under the input field.
type Keyboard string

// The reply keyboards.
const (
	KeyboardNone            Keyboard = ""
	KeyboardRequestLocation Keyboard = "location" // a button that shares the location
	KeyboardRequestContact  Keyboard = "contact"  // a button that shares the phone number
	KeyboardRemove          Keyboard = "remove"   // remove a reply keyboard shown before
)

// Pin is a map pin (Telegram venue).
type Pin struct {
	Lat     float64 `json:"lat"`
	Lng     float64 `json:"lng"`
	Title   string  `json:"title"`
	Address string  `json:"address"`
}

// Reply is one message to a person, channel-agnostic. Text is plain text:
// each channel escapes it for its own markup.
type Reply struct {
	Text          string     `json:"text,omitempty"`
	Buttons       [][]Button `json:"buttons,omitempty"`
	Keyboard      Keyboard   `json:"keyboard,omitempty"`
	KeyboardLabel string     `json:"keyboard_label,omitempty"`
	Pin           *Pin       `json:"pin,omitempty"`
	RTL           bool       `json:"rtl,omitempty"`
	// Protect marks a sensitive reply (eligibility results, the document
	// checklist, a referral code, a case's status): the channel keeps it
	// from being forwarded or saved where it can (Telegram's
	// protect_content). See protect.go.
	Protect bool `json:"protect,omitempty"`
	// Delete lists the channel's message ids (the person's and the bot's)
	// to delete from the chat before the text is shown: /forget and Hide.
	Delete []int64 `json:"delete,omitempty"`
	// ClearChat asks a channel without message ids (the simulator) to
	// clear what it shows, as Delete does on Telegram.
	ClearChat bool `json:"clear_chat,omitempty"`
	// Teaser, on a notice Yol sends unasked, is the neutral line a lock
	// screen may show instead of it while discreet notices are on (see
	// notice.go): the details wait until the person taps "show".
	Teaser *Teaser `json:"teaser,omitempty"`
}

// Teaser is the neutral first message of a discreet notice, in the
// person's language, and the label of its "show" button.
type Teaser struct {
	Text string `json:"text"`
	Show string `json:"show"`
}

// Conversation is what Yol keeps about one person.
type Conversation struct {
	ID             int64
	Chat           Chat
	Person         string // random pseudonym used in analytics
	Language       string
	Session        dialog.Session
	ConsentAt      time.Time // zero: no consent (no transcript, no referral)
	Campaign       string    // a campaign source's code, "" (came without a link) or UnknownCampaign
	ContentVersion string
	BlockedAt      time.Time
	CreatedAt      time.Time
	New            bool // created by this message
	// StateReset says why the saved state could not be read, so that the
	// conversation starts over ("unreadable", "newer": saved by a newer
	// program); "" when it was read. The Service logs and counts it.
	StateReset string
	// Park is the slow work the conversation waits for, if any.
	Park Park
	// Updates is the person's subscription to updates, if any.
	Updates Subscription
}

// Subscription is a person's wish to be told when something changes: in
// their language, for the whole country or only their region.
type Subscription struct {
	Since  time.Time // zero: not subscribed
	Region string    // office id of the person's region; "": every update
}

// Subscribed reports whether the person asked for updates.
func (s Subscription) Subscribed() bool { return !s.Since.IsZero() }

// Park says that a conversation waits for slow work done outside any
// transaction (a model's answer): its state is saved waiting for the
// action's result, and what the person sends meanwhile is queued behind it.
type Park struct {
	Active   bool  // parked
	Expired  bool  // the lease has ended: whoever did the work went away
	Token    int64 // drawn anew at every claim; only the last claimant's outcome is saved
	Attempts int   // claims of this park (1 for the first)
}

// Parked is a parked conversation handed to whoever does its slow work
// (Service.Resume).
type Parked struct {
	Chat     Chat
	Token    int64
	Attempts int

	question, lang string // known when Accept parked it; read again otherwise
	known          bool
}

// Consented reports whether the person agreed to the privacy notice.
func (c *Conversation) Consented() bool { return !c.ConsentAt.IsZero() }

// Direction of a transcript message.
type Direction string

// The directions.
const (
	DirIn    Direction = "in"    // from the person
	DirOut   Direction = "out"   // from the bot
	DirStaff Direction = "staff" // from staff, through the bot
)

// Outgoing is one reply claimed from the outbox to be sent.
type Outgoing struct {
	ID, ConversationID, ChatID int64
	Reply                      Reply
	Attempts                   int           // attempts so far, of every kind
	PartsSent                  int           // parts of a long reply already sent
	Failures                   int           // failed attempts that may be the reply's own fault (5xx, network)
	FailingFor                 time.Duration // since the first of those (0: none yet)
}

// DeadLetter is a reply given up after repeated failures, kept for admins
// to see; its text stays sealed.
type DeadLetter struct {
	ID             int64
	ConversationID int64 // 0: a staff chat message, or a goodbye after /forget
	CreatedAt      time.Time
	DeadAt         time.Time
	Attempts       int
	Failures       int
	LastError      string // Telegram's reason, without user text
}
