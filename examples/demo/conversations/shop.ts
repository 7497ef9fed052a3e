import { APPS, type Conversation } from "../apps.ts";

// Turns without an `assistant` reply are answered through a tool call (order status, refund).
export const SHOP: Conversation[] = [
  {
    // The assistant keeps missing the point; the user gets frustrated and asks for a person.
    slug: "missing-refund",
    userId: "chen.wei@example.com",
    app: APPS.shop,
    channel: "web",
    topic: "refund",
    turns: [
      {
        user: "I sent my blender back two weeks ago and there's still no refund. Order ORD-53120.",
        assistant: "Our blenders come with a two-year warranty! Would you like me to register yours?",
      },
      {
        user: "I don't want a warranty. Where is my refund for ORD-53120?",
        assistant: "You can read our return policy at shop.example.com/returns.",
      },
      {
        user: "That's not what I asked. You keep sending me links. I want to talk to a real person.",
        assistant: "I'm sorry, I can't transfer you right now. Is there anything else I can help with?",
      },
      { user: "Useless. Forget it.", assistant: "I'm sorry to hear that. Have a nice day!" },
    ],
  },
  {
    slug: "late-trail-shoes",
    userId: "chen.wei@example.com",
    app: APPS.shop,
    channel: "web",
    topic: "order-tracking",
    turns: [
      { user: "Hi, where is my order ORD-48213? It was supposed to arrive yesterday." },
      {
        user: "Can I change the delivery address? I'll be at work tomorrow.",
        assistant:
          "Since it's already with UPS I can't change it on our side, but you can redirect it for free from the UPS tracking page " +
          "(\"Change Delivery\"): pick a UPS Access Point near your office or another address.",
      },
      { user: "ok, done. thanks", assistant: "Great! UPS will email you the updated delivery estimate. Sorry again for the delay." },
    ],
  },
  {
    slug: "headphones-refund",
    userId: "dana@example.com",
    app: APPS.shop,
    channel: "android",
    topic: "refund",
    turns: [
      { user: "I'd like a refund for order ORD-51877. The headphones stopped charging after a week." },
      {
        user: "How long until I see the money?",
        assistant: "Card refunds usually show up within 5 business days, though some banks take up to 10. You'll get an email as soon as it's issued.",
      },
      {
        user: "Do I need the original box for the return?",
        assistant: "No, any sturdy packaging works. Please include the charging cable, and stick the prepaid label on the outside.",
      },
      {
        user: "Could I get a replacement pair instead?",
        assistant:
          "Yes: reply \"replacement\" to the refund email before we receive the return and we'll switch it. " +
          "The new pair ships as soon as the return is scanned.",
      },
      { user: "The money back is fine. Thanks for the quick help!", assistant: "Happy to help! Sorry the headphones let you down." },
    ],
  },
  {
    // The provider fails on the first turn; the user retries and the conversation recovers.
    slug: "backordered-jacket",
    userId: "dana@example.com",
    app: APPS.shop,
    channel: "web",
    topic: "order-tracking",
    turns: [
      { user: "Can you check on order ORD-50342? It's been stuck on 'processing' for three days.", outage: true },
      { user: "I just got an error message. Could you check order ORD-50342 again?" },
      {
        user: "Can you ship the items you have now and send the jacket later?",
        assistant:
          "Done: I've asked the warehouse to split the shipment. The bottle and the headlamp ship today, and the jacket follows " +
          "with its own tracking number as soon as it's back in stock. No extra shipping charge.",
      },
      { user: "Great, thank you.", assistant: "You're welcome! The first tracking email should arrive this evening." },
    ],
  },
  {
    slug: "boots-exchange",
    userId: "bruno@example.com",
    app: APPS.shop,
    channel: "web",
    topic: "exchange",
    turns: [
      { user: "I ordered hiking boots in size 44 but I need a 45. The order is ORD-49905." },
      {
        user: "Can I exchange them for a 45?",
        assistant:
          "Yes, exchanges are free within 30 days. I've created an exchange to size 45 and emailed you a prepaid return label. " +
          "The new pair ships as soon as the return is scanned at the drop-off point.",
      },
      { user: "Is the 45 in stock?", assistant: "Yes, size 45 in Granite Grey is in stock (only a few pairs left) and I've reserved one for you." },
      { user: "Awesome, thanks.", assistant: "Enjoy the trails! 🥾" },
    ],
  },
  {
    slug: "missing-tent",
    userId: "alice@example.com",
    app: APPS.shop,
    channel: "web",
    topic: "refund",
    turns: [
      { user: "My package for order ORD-47720 says delivered but I never got it." },
      {
        user: "I checked with my neighbors and the front desk, nothing.",
        assistant:
          "I'm really sorry. I've opened a lost-package claim with USPS (case LP-20931). " +
          "I can also refund you right away so you're not waiting on the investigation. Would you like that?",
      },
      { user: "Yes please, refund order ORD-47720." },
      { user: "Thank you, that's a relief.", assistant: "Of course! And if the tent turns up after all, just let us know." },
    ],
  },
  {
    slug: "vat-invoice",
    userId: "emeka@example.com",
    app: APPS.shop,
    channel: "web",
    topic: "billing",
    turns: [
      {
        user: "I need an invoice with my company's VAT number for order ORD-52210.",
        assistant: "Sure! What company name and VAT number should I put on the invoice?",
      },
      {
        user: "Company is Okafor Digital Ltd, VAT GB 293 8471 56.",
        assistant: "Thanks! I've issued a new invoice for ORD-52210 to Okafor Digital Ltd with VAT number GB 293 8471 56 and emailed it to you as a PDF.",
      },
      { user: "Received it, thanks a lot.", assistant: "Great! Let me know if your accounting team needs anything else." },
    ],
  },
  {
    slug: "jacket-sizing",
    userId: "alice@example.com",
    app: APPS.shop,
    channel: "ios",
    topic: "product-question",
    turns: [
      {
        user: "I'm between M and L for the Alpine down jacket. I'm 168 cm and usually wear a medium.",
        assistant: "The Alpine runs true to size with room for a fleece underneath, so **M** should fit you well. Go for L only if you plan to layer a thick sweater under it.",
      },
      {
        user: "Is it warm enough for skiing?",
        assistant: "Yes: it's rated to about -15°C when you're active. It isn't fully waterproof though, so on wet days wear a shell over it.",
      },
      {
        user: "Can I return it if the M is too small?",
        assistant: "Of course. Returns and exchanges are free within 30 days as long as the tags are still on.",
      },
      { user: "Great, ordering the M now.", assistant: "Great choice! Enjoy the slopes ⛷️" },
    ],
  },
];
