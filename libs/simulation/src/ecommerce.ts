import type { Device, EcommerceEvent, EcommerceEventType } from '@rta/event-schemas';
import { Rng } from './rng';
import type { Scenario } from './scenario';

export interface EcommerceScenarioOptions {
  /** How many customers exist (default 5,000). */
  readonly customers?: number;
  /** How many products the catalog holds (default 200). */
  readonly products?: number;
}

interface Product {
  readonly id: string;
  readonly category: string;
  readonly priceMinor: number;
}

interface Session {
  readonly id: string;
  readonly device: Exclude<Device, 'unknown'>;
  viewed: Product | undefined;
  readonly cart: Product[];
}

interface Customer {
  readonly id: string;
  readonly location: string;
  readonly subdivision: string | null;
  session: Session | undefined;
}

/** Categories (the seeds' union, normalised) and their price ranges in cents. */
const CATEGORIES: Record<string, [number, number]> = {
  electronics: [1_999, 199_999],
  clothing: [999, 14_999],
  books: [499, 4_999],
  home_garden: [1_499, 49_999],
  sports: [999, 29_999],
  technology: [2_999, 149_999],
};
const COUNTRIES: Record<string, number> = {
  US: 40,
  UK: 12,
  CA: 10,
  DE: 10,
  FR: 8,
  JP: 8,
  AU: 6,
  BR: 6,
};
const US_STATES = ['US-NY', 'US-CA', 'US-TX', 'US-FL', 'US-WA', 'US-IL'];
const DEVICES: Record<Session['device'], number> = { mobile: 55, desktop: 35, tablet: 10 };

/** The funnel: what a customer does next, given what the session holds. */
function nextStep(session: Session): Partial<Record<EcommerceEventType | 'leave', number>> {
  const steps: Partial<Record<EcommerceEventType | 'leave', number>> = {
    page_view: 25,
    search: 10,
    product_view: 30,
    leave: 6,
  };
  if (session.viewed) Object.assign(steps, { item_click: 15, add_to_cart: 12 });
  if (session.cart.length > 0) Object.assign(steps, { purchase: 9, remove_from_cart: 3 });
  return steps;
}

/**
 * A storefront: customers log in (a session with a device), browse pages, search, view products,
 * click, add to cart, sometimes remove, and purchase what is in their cart (one order per
 * purchase event). Sessions are real: one id across a customer's events until they leave.
 */
export class EcommerceScenario implements Scenario<EcommerceEvent> {
  readonly name = 'ecommerce';
  private readonly customers: Customer[];
  private readonly catalog: Product[];

  constructor(
    private readonly rng: Rng,
    options: EcommerceScenarioOptions = {},
  ) {
    const products = options.products ?? 200;
    this.catalog = Array.from({ length: products }, (_, i) => {
      const category = rng.pick(Object.keys(CATEGORIES));
      const [low, high] = CATEGORIES[category] as [number, number];
      return { id: `prod-${String(i).padStart(4, '0')}`, category, priceMinor: rng.int(low, high) };
    });
    this.customers = Array.from({ length: options.customers ?? 5_000 }, (_, i) => {
      const location = rng.weighted(COUNTRIES);
      return {
        id: `cust-${String(i).padStart(6, '0')}`,
        location,
        subdivision: location === 'US' ? rng.pick(US_STATES) : null,
        session: undefined,
      };
    });
  }

  keyOf(event: EcommerceEvent): string {
    return event.customer_id;
  }

  next(eventTimeMs: number): EcommerceEvent {
    const customer = this.rng.pick(this.customers);
    const session = customer.session;
    const step = session ? this.rng.weighted(nextStep(session)) : 'leave';
    if (!session || step === 'leave') return this.login(customer, eventTimeMs);
    const type = step as EcommerceEventType;
    return { ...this.base(customer, session, type, eventTimeMs), ...this.act(session, type) };
  }

  /** A new session: leaving and coming back, or the first visit. */
  private login(customer: Customer, eventTimeMs: number): EcommerceEvent {
    const session: Session = {
      id: this.rng.uuid(),
      device: this.rng.weighted(DEVICES),
      viewed: undefined,
      cart: [],
    };
    customer.session = session;
    const method = this.rng.pick(['password', 'google', 'apple']);
    return {
      ...this.base(customer, session, 'user_login', eventTimeMs),
      login_method: method,
      success: true,
    };
  }

  private act(session: Session, type: EcommerceEventType): Partial<EcommerceEvent> {
    switch (type) {
      case 'page_view':
        return {
          page: this.rng.pick(['/home', '/deals', '/category', '/help']),
          referrer: this.rng.pick(['google', 'direct', 'email', 'social']),
          duration_ms: this.rng.int(1_000, 120_000),
        };
      case 'search':
        return {
          search_query: this.rng.pick(Object.keys(CATEGORIES)),
          results_count: this.rng.int(0, 200),
          clicked_position: this.rng.int(1, 10),
        };
      case 'product_view':
        session.viewed = this.rng.pick(this.catalog);
        return product(session.viewed);
      case 'item_click':
        return { ...product(session.viewed as Product), position: this.rng.int(1, 20) };
      case 'add_to_cart':
        return this.addToCart(session);
      case 'remove_from_cart':
        return { ...product(session.cart.pop() as Product), quantity: 1 };
      case 'purchase':
        return this.purchase(session);
      default:
        return {};
    }
  }

  private addToCart(session: Session): Partial<EcommerceEvent> {
    const item = session.viewed as Product;
    session.cart.push(item);
    return { ...product(item), price_minor: item.priceMinor, quantity: 1, currency: 'USD' };
  }

  private purchase(session: Session): Partial<EcommerceEvent> {
    const item = session.cart.shift() as Product;
    const quantity = this.rng.int(1, 3);
    return {
      ...product(item),
      price_minor: item.priceMinor,
      quantity,
      amount_minor: item.priceMinor * quantity,
      currency: 'USD',
      order_id: this.rng.uuid(),
      payment_method: this.rng.pick(['card', 'paypal', 'apple_pay', 'gift_card']),
    };
  }

  private base(
    customer: Customer,
    session: Session,
    type: EcommerceEventType,
    timestamp: number,
  ): EcommerceEvent {
    return {
      event_id: this.rng.uuid(),
      event_type: type,
      customer_id: customer.id,
      session_id: session.id,
      timestamp,
      device: session.device,
      location: customer.location,
      subdivision: customer.subdivision,
      product_id: null,
      product_category: null,
      price_minor: null,
      quantity: null,
      amount_minor: null,
      currency: null,
      order_id: null,
      payment_method: null,
      page: null,
      referrer: null,
      duration_ms: null,
      position: null,
      search_query: null,
      results_count: null,
      clicked_position: null,
      login_method: null,
      success: null,
      coupon_code: null,
    };
  }
}

function product(item: Product): Partial<EcommerceEvent> {
  return { product_id: item.id, product_category: item.category };
}
